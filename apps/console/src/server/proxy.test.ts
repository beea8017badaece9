import { NextRequest } from "next/server";
import { decode, encode } from "next-auth/jwt";
import { beforeAll, describe, expect, it, vi } from "vitest";

const SECRET = "proxy-test-secret-0123456789abcdef";
const BASE = "http://127.0.0.1:3000";
let proxy: (request: NextRequest) => Promise<Response>;

beforeAll(async () => {
  vi.stubEnv("NEXTAUTH_SECRET", SECRET);
  vi.stubEnv("NEXTAUTH_URL", BASE);
  vi.stubEnv("MERIDIAN_SESSION_IDLE_MINUTES", "30");
  vi.stubEnv("MERIDIAN_SESSION_MAX_HOURS", "12");
  ({ proxy } = await import("../../proxy"));
});

async function sessionCookie(claims: { authTime: number; lastSeen: number }): Promise<string> {
  const token = await encode({ token: { uid: "u1", sv: 0, ...claims }, secret: SECRET, maxAge: 30 * 60 });
  return `next-auth.session-token=${token}`;
}

function refreshedToken(res: Response): string | null {
  const set = res.headers.get("set-cookie") ?? "";
  return /next-auth\.session-token=([^;]+)/.exec(set)?.[1] ?? null;
}

describe("proxy", () => {
  it("refuses a cross-site mutation with 403 before anything runs", async () => {
    const res = await proxy(
      new NextRequest(`${BASE}/api/trpc/inventory.updateDataCenterStatus`, {
        method: "POST",
        headers: { origin: "http://evil.example", "content-type": "text/plain", cookie: "x=1" },
        body: "{}",
      }),
    );
    expect(res.status).toBe(403);
  });

  it("gives every page a fresh nonce CSP and API responses a strict one", async () => {
    const a = await proxy(new NextRequest(`${BASE}/signin`));
    const b = await proxy(new NextRequest(`${BASE}/signin`));
    const nonceA = /'nonce-([^']+)'/.exec(a.headers.get("content-security-policy") ?? "")?.[1];
    const nonceB = /'nonce-([^']+)'/.exec(b.headers.get("content-security-policy") ?? "")?.[1];
    expect(nonceA).toBeTruthy();
    expect(nonceA).not.toBe(nonceB);
    const api = await proxy(new NextRequest(`${BASE}/api/health`));
    expect(api.headers.get("content-security-policy")).toContain("default-src 'none'");
  });

  it("slides the idle timeout: an active session's cookie is re-issued with a new lastSeen", async () => {
    const now = Date.now();
    const res = await proxy(new NextRequest(`${BASE}/inventory`, { headers: { cookie: await sessionCookie({ authTime: now - 3_600_000, lastSeen: now - 5 * 60_000 }) } }));
    const value = refreshedToken(res);
    expect(value).toBeTruthy();
    const token = await decode({ token: value!, secret: SECRET });
    expect(token?.lastSeen).toBeGreaterThanOrEqual(now);
    expect(token?.authTime).toBe(now - 3_600_000);
  });

  it("does not revive a session past its idle timeout or its absolute lifetime", async () => {
    const now = Date.now();
    const idle = await proxy(new NextRequest(`${BASE}/inventory`, { headers: { cookie: await sessionCookie({ authTime: now - 3_600_000, lastSeen: now - 31 * 60_000 }) } }));
    expect(refreshedToken(idle)).toBeNull();
    const old = await proxy(new NextRequest(`${BASE}/inventory`, { headers: { cookie: await sessionCookie({ authTime: now - 13 * 3_600_000, lastSeen: now - 2 * 60_000 }) } }));
    expect(refreshedToken(old)).toBeNull();
  });
});
