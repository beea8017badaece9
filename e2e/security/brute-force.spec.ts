import { type APIRequestContext } from "@playwright/test";
import { DEMO_PASSWORD, demoUser, expect, sql, test } from "../fixtures";

/**
 * Sign-in brute force: 5 failures block an account, 20 block a client address, for 15
 * minutes, shared by every console process through sign_in_throttle. Each test clears the
 * table afterwards so that the rest of the suite (same address) is not blocked.
 */
test.beforeEach(async () => {
  await sql("delete from sign_in_throttle");
});
test.afterEach(async () => {
  await sql("delete from sign_in_throttle");
});

async function attempt(request: APIRequestContext, email: string, password: string, headers: Record<string, string> = {}) {
  const csrf = (await (await request.get("/api/auth/csrf")).json()) as { csrfToken: string };
  const res = await request.post("/api/auth/callback/credentials", {
    form: { email, password, csrfToken: csrf.csrfToken, json: "true", callbackUrl: "/" },
    headers,
    maxRedirects: 0,
  });
  return { status: res.status(), body: await res.text(), retryAfter: res.headers()["retry-after"] };
}

test.describe("sign-in brute force", () => {
  test("an account is blocked at its 5th wrong password; the page says for how long; then the server answers 429", async ({ page }) => {
    const user = demoUser("engineer");
    await page.goto("/signin");
    for (let i = 1; i <= 5; i++) {
      await page.getByLabel("Email").fill(user.email);
      await page.getByLabel("Password").fill(`wrong-password-${i}`);
      await page.getByRole("button", { name: /sign in/i }).click();
      const expected = i < 5 ? "Wrong email or password" : "Too many attempts, try again in 15 minutes.";
      await expect(page.getByTestId("signin-error")).toHaveText(expected);
    }
    // Now even the right password is refused, with a 429 and Retry-After.
    const refused = page.waitForResponse((r) => r.url().includes("/api/auth/callback/credentials"));
    await page.getByLabel("Password").fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: /sign in/i }).click();
    const res = await refused;
    expect(res.status()).toBe(429);
    expect(Number(res.headers()["retry-after"])).toBeGreaterThan(800);
    await expect(page.getByTestId("signin-error")).toHaveText(/Too many attempts, try again in 1[45] minutes\./);
    await expect(page).toHaveURL(/\/signin/);

    // Shared state in the database, and one aggregated audit event (not one per failure).
    const [row] = await sql<{ failures: number; blocked: boolean }>(
      "select failures, blocked_until > now() as blocked from sign_in_throttle where key = $1",
      [`account:${user.email}`],
    );
    expect(row).toEqual({ failures: 5, blocked: true });
    const events = await sql<{ action: string; after: { failures?: number; kind?: string } }>(
      "select action, after from audit_event where actor_email = $1 and action in ('auth.signInFailed', 'auth.signInBlocked') and occurred_at > now() - interval '2 minutes' order by id",
      [user.email],
    );
    expect(events.filter((e) => e.action === "auth.signInBlocked")).toEqual([
      { action: "auth.signInBlocked", after: expect.objectContaining({ kind: "account", failures: 5 }) as unknown },
    ]);
    expect(events.filter((e) => e.action === "auth.signInFailed").length).toBeLessThanOrEqual(1);
  });

  test("one address trying many accounts is blocked at its 20th failure, for every account", async ({ page }) => {
    let blockedAt = 0;
    for (let i = 1; i <= 20; i++) {
      const r = await attempt(page.request, `guess-${i}-${Date.now()}@meridian.local`, "password123");
      if (r.body.includes("TooManyAttempts")) {
        blockedAt = i;
        break;
      }
    }
    expect(blockedAt).toBe(20);
    const next = await attempt(page.request, demoUser("dba").email, DEMO_PASSWORD);
    expect(next.status).toBe(429);
    expect(next.body).toContain("Too many attempts, try again in 15 minutes");
    expect(Number(next.retryAfter)).toBeGreaterThan(800);
    const [blocked] = await sql<{ n: number }>(
      "select count(*)::int as n from audit_event where action = 'auth.signInBlocked' and after->>'kind' = 'address' and occurred_at > now() - interval '2 minutes'",
    );
    expect(blocked!.n).toBe(1);
  });

  test("the address counted is the one the launcher stamped, never one the client wrote itself", async ({ page }) => {
    // From loopback (where a reverse proxy would sit) X-Forwarded-For names the client; a
    // client-written x-meridian-client-address is replaced by the launcher's preload.
    await attempt(page.request, `stamp-${Date.now()}@meridian.local`, "password123", {
      "x-forwarded-for": "203.0.113.77",
      "x-meridian-client-address": "9.9.9.9",
    });
    const keys = (await sql<{ key: string }>("select key from sign_in_throttle where key like 'address:%'")).map((r) => r.key);
    expect(keys).toEqual(["address:203.0.113.77"]);
  });
});
