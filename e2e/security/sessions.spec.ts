import { demoUser, DEMO_PASSWORD, expect, signIn, sql, test } from "../fixtures";
import { trpcCall } from "../changes/change-helpers";

/** Access ends at the next request when roles change or the account is disabled. */
test.describe("sessions", () => {
  test("a demoted DBA loses access at the next request, not when the token expires", async ({ browser }) => {
    const dba = demoUser("dba");
    const [row] = await sql<{ id: string }>("select id from app_user where email = $1", [dba.email]);
    const dbaContext = await browser.newContext();
    const adminContext = await browser.newContext();
    try {
      const dbaPage = await dbaContext.newPage();
      await signIn(dbaPage, "dba");
      await dbaPage.goto("/inventory/clusters");
      await expect(dbaPage).toHaveURL(/\/inventory\/clusters/);

      const adminPage = await adminContext.newPage();
      await signIn(adminPage, "admin");
      const demote = await trpcCall(adminPage, "users.setRoles", { userId: row!.id, roles: ["VIEWER"] });
      expect(demote.status).toBe(200);

      // The very next request of the DBA's open session: signed out.
      const api = await trpcCall(dbaPage, "me.get", undefined, "query");
      expect(api.status).toBe(401);
      await dbaPage.goto("/inventory/clusters");
      await expect(dbaPage).toHaveURL(/\/signin/);
      // Signing in again gives the new, narrower roles.
      await signIn(dbaPage, "dba");
      const me = await trpcCall(dbaPage, "me.get", undefined, "query");
      expect(me.body).toContain("VIEWER");
      expect(me.body).not.toContain('"DBA"');
    } finally {
      await sql("update app_user set roles = '{DBA}' where email = $1", [dba.email]);
      await dbaContext.close();
      await adminContext.close();
    }
  });

  test("a disabled account loses access at the next request", async ({ browser }) => {
    const user = demoUser("second-dba");
    const [row] = await sql<{ id: string }>("select id from app_user where email = $1", [user.email]);
    const userContext = await browser.newContext();
    const adminContext = await browser.newContext();
    try {
      const userPage = await userContext.newPage();
      await signIn(userPage, "second-dba");
      const adminPage = await adminContext.newPage();
      await signIn(adminPage, "admin");
      expect((await trpcCall(adminPage, "users.setDisabled", { userId: row!.id, disabled: true })).status).toBe(200);
      await userPage.goto("/changes");
      await expect(userPage).toHaveURL(/\/signin/);
      expect((await trpcCall(adminPage, "users.setDisabled", { userId: row!.id, disabled: false })).status).toBe(200);
    } finally {
      await sql("update app_user set disabled = false where email = $1", [user.email]);
      await userContext.close();
      await adminContext.close();
    }
  });

  test("a user with a one-time password must choose a new one before anything else works", async ({ page }) => {
    const user = demoUser("compliance");
    const [before] = await sql<{ password_hash: string }>("select password_hash from app_user where email = $1", [user.email]);
    await sql("update app_user set must_change_password = true where email = $1", [user.email]);
    try {
      await signIn(page, "compliance");
      await expect(page).toHaveURL(/\/account\/password/);
      await expect(page.getByRole("heading", { name: "Choose a new password" })).toBeVisible();
      // Every other page leads back here; every tRPC procedure is refused with a clear error.
      await page.goto("/audit");
      await expect(page).toHaveURL(/\/account\/password/);
      const refused = await trpcCall(page, "me.get", undefined, "query");
      expect(refused.status).toBe(403);
      expect(refused.body).toContain("Choose a new password first");

      await page.getByLabel("Current password").fill(DEMO_PASSWORD);
      await page.getByLabel(/^New password \(/).fill("short");
      await page.getByLabel("New password again").fill("short");
      await page.getByRole("button", { name: /save the new password/i }).click();
      await expect(page.getByText(/At least 12 characters/)).toBeVisible();

      await page.getByLabel(/^New password \(/).fill("compliance-chose-this-1");
      await page.getByLabel("New password again").fill("compliance-chose-this-1");
      await page.getByRole("button", { name: /save the new password/i }).click();
      await expect(page).not.toHaveURL(/\/account\/password/);
      await page.goto("/audit");
      await expect(page).toHaveURL(/\/audit/);
      expect((await trpcCall(page, "me.get", undefined, "query")).status).toBe(200);
      const [after] = await sql<{ must_change_password: boolean }>("select must_change_password from app_user where email = $1", [user.email]);
      expect(after!.must_change_password).toBe(false);
    } finally {
      await sql("update app_user set must_change_password = false, password_hash = $2 where email = $1", [user.email, before!.password_hash]);
    }
  });
});
