import NextAuth from "next-auth";
import { accountKey, addressKey, clientAddressOf, signInBlock, tooManyAttemptsCode } from "@meridian/api";
import { env, getPrisma } from "@meridian/db";
import { getAuthOptions } from "@/server/auth";

type TRouteContext = { params: Promise<{ nextauth: string[] }> };

/**
 * A password sign-in while the account or the client address is blocked: 429 with Retry-After,
 * before next-auth runs. The body is what next-auth's `signIn()` reads (a URL whose `error`
 * says `TooManyAttempts.<minutes>`), so the sign-in page shows "Too many attempts, try again
 * in N minutes".
 */
async function throttled(req: Request, context: TRouteContext): Promise<Response | null> {
  if (req.method !== "POST") return null;
  const segments = (await context.params).nextauth;
  if (segments.join("/") !== "callback/credentials") return null;
  let email = "";
  try {
    email = String((await req.clone().formData()).get("email") ?? "");
  } catch {
    return null; // not a form: next-auth refuses it itself
  }
  const keys = [addressKey(clientAddressOf(req.headers))];
  if (email.trim()) keys.push(accountKey(email));
  const block = await signInBlock(getPrisma(), keys);
  if (!block.blocked) return null;
  const code = tooManyAttemptsCode(block.retryAfterSeconds);
  const base = env().NEXTAUTH_URL ?? new URL(req.url).origin;
  const url = `${base.replace(/\/$/, "")}/signin?error=${encodeURIComponent(code)}`;
  return Response.json(
    { url, error: code, message: `Too many attempts, try again in ${code.split(".")[1]} minutes` },
    { status: 429, headers: { "retry-after": String(block.retryAfterSeconds) } },
  );
}

// Options are built on the first request, not at import: the build has no secret.
async function handler(req: Request, context: TRouteContext) {
  const refused = await throttled(req, context);
  if (refused) return refused;
  return NextAuth(getAuthOptions())(req, context);
}

export { handler as GET, handler as POST };
