/**
 * Preloaded into the `next start` process by the launcher (`node --import`): stamps every
 * incoming request with `x-meridian-client-address`, the address the sign-in throttle counts
 * against, replacing any value the client sent.
 * - The TCP peer is a trusted proxy (loopback, or listed in MERIDIAN_TRUSTED_PROXIES): the last
 *   `X-Forwarded-For` entry, the one that proxy appended.
 * - Otherwise the TCP peer itself: a client talking to the console directly cannot choose its
 *   address by forging `X-Forwarded-For`.
 * Plain JavaScript: it runs before anything is compiled.
 */
import http from "node:http";

export const HEADER = "x-meridian-client-address";

function normalize(address) {
  return String(address || "").trim().replace(/^::ffff:/i, "");
}

function isLoopback(address) {
  return address === "::1" || address.startsWith("127.");
}

export function resolveClientAddress(peer, forwardedFor, trusted) {
  const p = normalize(peer);
  if (p && (isLoopback(p) || trusted.has(p)) && forwardedFor) {
    const last = String(forwardedFor).split(",").map((s) => s.trim()).filter(Boolean).pop();
    if (last) return normalize(last);
  }
  return p || "unknown";
}

export function install(trustedList) {
  const trusted = new Set(
    String(trustedList || "")
      .split(",")
      .map(normalize)
      .filter(Boolean),
  );
  const original = http.Server.prototype.emit;
  if (original.meridianClientAddress) return;
  const patched = function emit(event, req, ...rest) {
    if (event === "request" && req && req.headers) {
      const xff = req.headers["x-forwarded-for"];
      req.headers[HEADER] = resolveClientAddress(req.socket && req.socket.remoteAddress, Array.isArray(xff) ? xff.join(",") : xff, trusted);
    }
    return original.call(this, event, req, ...rest);
  };
  patched.meridianClientAddress = true;
  http.Server.prototype.emit = patched;
}

if (process.env.MERIDIAN_CLIENT_ADDRESS_HOOK === "on") install(process.env.MERIDIAN_TRUSTED_PROXIES);
