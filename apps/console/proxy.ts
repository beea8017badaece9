import { NextResponse, type NextRequest } from "next/server";
import { encode, getToken } from "next-auth/jwt";
import { sessionTimeRefusal } from "@meridian/api/session-check";
import { env } from "@meridian/db/env";
import {
  API_CONTENT_SECURITY_POLICY,
  crossSiteRefusal,
  HSTS_VALUE,
  isHttps,
  pageContentSecurityPolicy,
} from "@/server/request-guard";

/**
 * Runs before every page and API request (Next 16's middleware):
 * 1. refuses state-changing requests sent from another site (403, before any work);
 * 2. sets the Content-Security-Policy (a fresh nonce per page, which Next puts on its own
 *    scripts) and HSTS over https; the static headers are in next.config.ts;
 * 3. slides the session's idle timeout: re-issues the session cookie with a new `lastSeen`
 *    (at most once a minute) while the session is within its idle and absolute limits;
 * 4. passes the requested path and query to server components (layouts cannot read them), so
 *    the sign-in redirect can come back to the exact view.
 * No access decision is made here: pages and the tRPC context check the session themselves.
 */
export async function proxy(request: NextRequest) {
  const e = env();
  const allowedOrigins = e.NEXTAUTH_URL ? [e.NEXTAUTH_URL] : [];
  const refusal = crossSiteRefusal(
    { method: request.method, headers: request.headers, origin: request.nextUrl.origin },
    allowedOrigins,
  );
  if (refusal) {
    return NextResponse.json({ error: { code: "CROSS_SITE_REQUEST", message: refusal } }, { status: 403, headers: { "content-security-policy": API_CONTENT_SECURITY_POLICY } });
  }

  const isApi = request.nextUrl.pathname.startsWith("/api/");
  const headers = new Headers(request.headers);
  headers.set("x-meridian-url", `${request.nextUrl.pathname}${request.nextUrl.search}`);
  let csp = API_CONTENT_SECURITY_POLICY;
  if (!isApi) {
    const nonce = Buffer.from(crypto.randomUUID()).toString("base64");
    csp = pageContentSecurityPolicy(nonce, { development: e.NODE_ENV === "development" });
    headers.set("x-nonce", nonce);
    headers.set("content-security-policy", csp);
  }
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("content-security-policy", csp);
  const https = isHttps({ protocol: request.nextUrl.protocol, headers: request.headers });
  if (https) response.headers.set("strict-transport-security", HSTS_VALUE);
  await slideSession(request, response, e);
  return response;
}

async function slideSession(request: NextRequest, response: NextResponse, e: ReturnType<typeof env>) {
  const secret = e.NEXTAUTH_SECRET;
  if (!secret || request.nextUrl.pathname.startsWith("/api/auth/")) return;
  // The cookie next-auth itself chose (it goes by NEXTAUTH_URL).
  const secureCookie = (e.NEXTAUTH_URL ?? "").startsWith("https://");
  const token = await getToken({ req: request, secret, secureCookie }).catch(() => null);
  if (!token || typeof token.authTime !== "number" || typeof token.lastSeen !== "number") return;
  const now = Date.now();
  const limits = { idleMinutes: e.MERIDIAN_SESSION_IDLE_MINUTES, maxHours: e.MERIDIAN_SESSION_MAX_HOURS };
  if (sessionTimeRefusal({ authTime: token.authTime, lastSeen: token.lastSeen }, now, limits)) return;
  if (now - token.lastSeen < 60_000) return;
  const maxAge = limits.idleMinutes * 60;
  const value = await encode({ token: { ...token, lastSeen: now }, secret, maxAge });
  response.cookies.set(secureCookie ? "__Secure-next-auth.session-token" : "next-auth.session-token", value, {
    httpOnly: true,
    sameSite: "lax",
    path: "/",
    secure: secureCookie,
    maxAge,
  });
}

export const config = {
  matcher: ["/((?!_next/static|_next/image|favicon.ico|icon.svg).*)"],
};
