import { expect, signIn, test } from "../fixtures";

test.describe("security headers", () => {
  test("pages carry a nonce CSP without unsafe-eval, refuse framing and sniffing, and no HSTS over http", async ({ page }) => {
    const res = await page.goto("/signin");
    const h = res!.headers();
    const csp = h["content-security-policy"] ?? "";
    expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
    expect(csp).not.toContain("unsafe-eval");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(h["x-content-type-options"]).toBe("nosniff");
    expect(h["referrer-policy"]).toBe("strict-origin-when-cross-origin");
    expect(h["x-frame-options"]).toBe("DENY");
    expect(h["strict-transport-security"]).toBeUndefined();
    // Next put this response's nonce on its own scripts; the next page gets another one.
    const raw = await page.request.get("/signin");
    const rawNonce = /'nonce-([^']+)'/.exec(raw.headers()["content-security-policy"] ?? "")![1]!;
    expect(await raw.text()).toContain(`nonce="${rawNonce}"`);
    const nonce = /'nonce-([^']+)'/.exec(csp)![1]!;
    expect(rawNonce).not.toBe(nonce);
  });

  test("the console works under its policy: no CSP violation while signing in and browsing", async ({ page }) => {
    const violations: string[] = [];
    page.on("console", (m) => {
      if (/Content Security Policy|Refused to (execute|load|apply)/i.test(m.text())) violations.push(m.text());
    });
    await signIn(page, "dba");
    for (const path of ["/inventory/clusters", "/map", "/topology", "/changes"]) {
      await page.goto(path);
      await expect(page.getByRole("heading", { level: 1 }).first()).toBeVisible();
    }
    expect(violations).toEqual([]);
  });

  test("API responses carry the headers too; HSTS only when served over https", async ({ request }) => {
    const api = await request.get("/api/health");
    expect(api.headers()["x-content-type-options"]).toBe("nosniff");
    expect(api.headers()["content-security-policy"]).toContain("frame-ancestors 'none'");
    expect(api.headers()["strict-transport-security"]).toBeUndefined();
    // Behind a TLS-terminating proxy.
    const https = await request.get("/signin", { headers: { "x-forwarded-proto": "https" } });
    expect(https.headers()["strict-transport-security"]).toMatch(/max-age=\d+/);
  });
});
