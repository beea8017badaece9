/**
 * What proxy.ts decides for every request, as pure functions (unit-tested): refusing
 * cross-site mutations, and the security headers of pages and API responses.
 */

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export interface TGuardedRequest {
  method: string;
  headers: { get(name: string): string | null };
  /** The origin the request was sent to, as the server sees it (`http://host:port`). */
  origin: string;
}

/**
 * Why a state-changing request is refused as cross-site, or null when it may proceed.
 * - Safe methods (GET, HEAD, OPTIONS) always proceed: they change nothing.
 * - API clients (an `Authorization: Bearer` header and no cookie) proceed: a browser cannot
 *   be made to attach a bearer token, so there is no ambient credential to abuse.
 * - Otherwise `Sec-Fetch-Site` must be `same-origin` (or `none`: typed by the user) and
 *   `Origin`, when present, must be the console's own origin (or one of `allowedOrigins`).
 *   Browsers send at least one of the two on every POST (form posts, `text/plain` fetches).
 */
export function crossSiteRefusal(request: TGuardedRequest, allowedOrigins: readonly string[] = []): string | null {
  if (SAFE_METHODS.has(request.method.toUpperCase())) return null;
  const authorization = request.headers.get("authorization") ?? "";
  const cookie = request.headers.get("cookie") ?? "";
  if (/^bearer\s+\S/i.test(authorization) && cookie.trim() === "") return null;
  const site = request.headers.get("sec-fetch-site");
  if (site && site !== "same-origin" && site !== "none") {
    return `Cross-site request refused (Sec-Fetch-Site: ${site})`;
  }
  const origin = request.headers.get("origin");
  if (origin !== null) {
    const allowed = new Set([request.origin, ...allowedOrigins].map(normalizeOrigin));
    if (!allowed.has(normalizeOrigin(origin))) return `Cross-site request refused (Origin: ${origin.slice(0, 200)})`;
  }
  return null;
}

function normalizeOrigin(value: string): string {
  try {
    return new URL(value).origin;
  } catch {
    return value; // "null" (sandboxed frames, file:) never matches a real origin
  }
}

/**
 * The Content-Security-Policy of pages. Scripts: only those carrying this response's nonce
 * (Next reads it from the request's CSP header and puts it on its own scripts), and what they
 * load (`strict-dynamic`); never `unsafe-eval` outside development (React's dev tools need it).
 * Styles allow inline `style` attributes (React Flow and the map position elements with them).
 */
export function pageContentSecurityPolicy(nonce: string, options: { development: boolean }): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${options.development ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** API responses (JSON, CSV) are never documents to render or frame. */
export const API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** HSTS only over https (behind a TLS-terminating proxy: `X-Forwarded-Proto: https`). */
export function isHttps(request: { protocol: string; headers: { get(name: string): string | null } }): boolean {
  if (request.protocol === "https:") return true;
  const forwarded = request.headers.get("x-forwarded-proto")?.split(",")[0]?.trim().toLowerCase();
  return forwarded === "https";
}

export const HSTS_VALUE = "max-age=31536000; includeSubDomains";

/** Set on every response by next.config.ts (pages, API, static files). */
export const STATIC_SECURITY_HEADERS: ReadonlyArray<{ key: string; value: string }> = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=()" },
];
