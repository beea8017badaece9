import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { connection } from "next/server";
import { getServerSession } from "next-auth";
import { cache } from "react";
import { env, getPrisma } from "@meridian/db";
import { checkSession, type TSessionUser } from "@meridian/api";
import { getAuthOptions } from "./auth";

/** Header set by proxy.ts with the requested path and query, for sign-in redirects. */
export const REQUEST_URL_HEADER = "x-meridian-url";

/** Path of the page that replaces a generated (one-time) password. */
export const CHANGE_PASSWORD_PATH = "/account/password";

/**
 * The signed-in user, read from the session cookie and then from the database. Null when not
 * signed in, or when the session is over: idle longer than MERIDIAN_SESSION_IDLE_MINUTES,
 * older than MERIDIAN_SESSION_MAX_HOURS, or revoked (roles changed, account disabled: the
 * token's session version differs from the user's). Cached for one server render.
 */
export const getCurrentUser = cache(async (): Promise<TSessionUser | null> => {
  // Per request by nature: never prerendered at build time (no secret, no database there).
  await connection();
  const session = await getServerSession(getAuthOptions());
  const id = session?.user?.id;
  if (!id || !session.claims) return null;
  const e = env();
  const checked = await checkSession(getPrisma(), { userId: id, ...session.claims }, Date.now(), {
    idleMinutes: e.MERIDIAN_SESSION_IDLE_MINUTES,
    maxHours: e.MERIDIAN_SESSION_MAX_HOURS,
  });
  return checked.ok ? checked.user : null;
});

/** A same-origin path safe to come back to after signing in. */
export function safeCallbackUrl(value: string | null | undefined): string {
  if (!value || !value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) return "/";
  if (value.startsWith("/signin") || value.startsWith("/api/")) return "/";
  return value;
}

/** The signed-in user, or a redirect to the sign-in page that comes back here afterwards. */
export async function requireUser(): Promise<TSessionUser> {
  const user = await getCurrentUser();
  // A one-time password must be replaced before anything else.
  if (user?.mustChangePassword) redirect(CHANGE_PASSWORD_PATH);
  if (user) return user;
  const requested = safeCallbackUrl((await headers()).get(REQUEST_URL_HEADER));
  redirect(`/signin?callbackUrl=${encodeURIComponent(requested)}`);
}
