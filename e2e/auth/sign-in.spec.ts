import { DEMO_PASSWORD, demoUser, expect, signIn, test, type TPersona } from "../fixtures";

const PERSONAS: Array<[TPersona, RegExp]> = [
  ["admin", /administrator/i],
  ["dba", /dba/i],
  ["engineer", /engineer/i],
  ["team-approver", /team approver/i],
  ["compliance", /compliance/i],
  ["leadership", /leadership|read-only/i],
];

test.describe("sign-in", () => {
  test("every page but sign-in needs a session", async ({ page }) => {
    await page.goto("/inventory/clusters");
    await expect(page).toHaveURL(/\/signin/);
    await expect(page.getByLabel("Email")).toBeVisible();
  });

  test("a wrong password says so and opens no session", async ({ page }) => {
    await page.goto("/signin");
    await page.getByLabel("Email").fill(demoUser("dba").email);
    await page.getByLabel("Password").fill("not-the-password");
    await page.getByRole("button", { name: /sign in/i }).click();
    await expect(page.getByText("Wrong email or password")).toBeVisible();
    await page.goto("/inventory/data-centers");
    await expect(page).toHaveURL(/\/signin/);
    const session = await page.request.get("/api/auth/session");
    expect(await session.json()).toEqual({});
  });

  for (const [persona, roleLabel] of PERSONAS) {
    test(`${persona} signs in, sees name and role, and signs out`, async ({ page }) => {
      const user = demoUser(persona);
      await signIn(page, persona);
      const who = page.getByTestId("signed-in-user");
      await expect(who).toContainText(user.name);
      await expect(who).toContainText(roleLabel);
      await page.getByRole("button", { name: /sign out/i }).click();
      await expect(page).toHaveURL(/\/signin/);
      await page.goto("/inventory/data-centers");
      await expect(page).toHaveURL(/\/signin/);
    });
  }

  test("the published demo password opens nothing when the database is an external one", async ({ page }) => {
    // The suite runs with an external DATABASE_URL: the seed refused "meridian-demo" (README,
    // Security defaults) and used the suite's MERIDIAN_DEMO_PASSWORD.
    expect(DEMO_PASSWORD).not.toBe("meridian-demo");
    await page.goto("/signin");
    await page.getByLabel("Email").fill(demoUser("admin").email);
    await page.getByLabel("Password").fill("meridian-demo");
    await page.getByRole("button", { name: /sign in/i }).click();
    await expect(page.getByText("Wrong email or password")).toBeVisible();
  });
});
