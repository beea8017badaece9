import { expect, signIn, sql, test } from "../fixtures";
import { trpcCall } from "../changes/change-helpers";

test.describe("audit trail", () => {
  test("sign-ins, refused ones included, are on the trail; filters narrow it and land in the URL", async ({ page }) => {
    await page.goto("/signin");
    await page.getByLabel("Email").fill("dba@meridian.local");
    await page.getByLabel("Password").fill("wrong-password");
    await page.getByRole("button", { name: /sign in/i }).click();
    await expect(page.getByText("Wrong email or password")).toBeVisible();

    await signIn(page, "admin");
    await page.goto("/audit");
    await expect(page.getByTestId("audit-row").first()).toBeVisible();
    await page.getByLabel("Action").selectOption("auth.signInFailed");
    await expect(page).toHaveURL(/action=auth\.signInFailed/);
    const rows = page.getByTestId("audit-row");
    await expect(rows.first()).toContainText("dba@meridian.local");
    for (const text of await rows.allInnerTexts()) expect(text).toContain("auth.signInFailed");
    const n = Number((await sql<{ n: number }>("SELECT count(*)::int AS n FROM audit_event WHERE action = 'auth.signInFailed'"))[0]!.n);
    await expect(rows).toHaveCount(n);
  });

  test("verify reports an intact chain; export CSV and NDJSON stream the filtered events", async ({ page }) => {
    await signIn(page, "compliance");
    await page.goto("/audit");
    await page.getByTestId("verify-chain").click();
    await expect(page.getByTestId("verify-result")).toHaveAttribute("data-ok", "true");
    await expect(page.getByTestId("verify-result")).toContainText("Chain intact");

    const csv = await page.request.get("/audit/export?format=csv&action=auth.");
    expect(csv.status()).toBe(200);
    expect(csv.headers()["content-type"]).toContain("text/csv");
    const lines = (await csv.text()).trimEnd().split("\r\n");
    expect(lines[0]).toBe("id,occurred_at,actor_id,actor_email,action,target_type,target_id,before,after,prev_hash,hash");
    expect(lines.length).toBeGreaterThan(2);
    expect(lines.slice(1).every((l) => l.includes(",auth."))).toBe(true);

    const nd = await page.request.get("/audit/export?format=ndjson");
    const events = (await nd.text()).trimEnd().split("\n").map((l) => JSON.parse(l) as { prevHash: string; hash: string });
    for (let i = 1; i < events.length; i++) expect(events[i]!.prevHash).toBe(events[i - 1]!.hash);
  });

  test("engineers and leadership do not read the trail", async ({ page }) => {
    for (const persona of ["engineer", "leadership"] as const) {
      await page.context().clearCookies();
      await signIn(page, persona);
      await page.goto("/audit");
      await expect(page.getByText("Your roles do not read the audit trail")).toBeVisible();
      expect((await page.request.get("/audit/export?format=csv")).status()).toBe(403);
      expect((await trpcCall(page, "audit.verify", undefined)).status).toBe(403);
    }
  });
});
