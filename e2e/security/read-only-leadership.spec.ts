import { type Page } from "@playwright/test";
import { expect, signIn, sql, test } from "../fixtures";

/** Calls a tRPC mutation from inside the page, with the page's session cookie. */
async function mutate(page: Page, path: string, input: unknown) {
  return page.evaluate(
    async ([p, i]) => {
      const res = await fetch(`/api/trpc/${p}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ json: i }),
      });
      return { status: res.status, body: await res.text() };
    },
    [path, input] as const,
  );
}

test.describe("leadership is read-only", () => {
  test("sees the inventory but no control that changes anything", async ({ page }) => {
    const [dc] = await sql<{ code: string }>("select code from data_center order by code limit 1");
    await signIn(page, "leadership");
    await page.goto(`/inventory/data-centers/${dc!.code}`);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await expect(page.getByRole("button", { name: /change status/i })).toHaveCount(0);
    for (const path of ["/inventory/data-centers", "/inventory/clusters", "/inventory/instances"]) {
      await page.goto(path);
      await expect(page.getByTestId("pagination-summary")).toBeVisible();
      // Buttons there only filter, sort, page or navigate: none may submit a change.
      await expect(page.getByRole("button", { name: /change|delete|approve|edit|save|create|update/i })).toHaveCount(0);
    }
  });

  test("is refused by the server when it tries anyway, and nothing changes", async ({ page }) => {
    const [dc] = await sql<{ code: string; status: string }>("select code, status from data_center order by code limit 1");
    await signIn(page, "leadership");
    const res = await mutate(page, "inventory.updateDataCenterStatus", { code: dc!.code, status: "OFFLINE" });
    expect(res.status).toBe(403);
    const [after] = await sql<{ status: string }>("select status from data_center where code = $1", [dc!.code]);
    expect(after!.status).toBe(dc!.status);
  });

  test("a DBA does see the control and can change a status", async ({ page }) => {
    const [dc] = await sql<{ code: string }>("select code from data_center where status = 'ACTIVE' order by code desc limit 1");
    await signIn(page, "dba");
    await page.goto(`/inventory/data-centers/${dc!.code}`);
    await expect(page.getByRole("button", { name: /change status/i })).toBeVisible();
    const res = await mutate(page, "inventory.updateDataCenterStatus", { code: dc!.code, status: "MAINTENANCE" });
    expect(res.status).toBe(200);
    const [after] = await sql<{ status: string }>("select status from data_center where code = $1", [dc!.code]);
    expect(after!.status).toBe("MAINTENANCE");
    await mutate(page, "inventory.updateDataCenterStatus", { code: dc!.code, status: "ACTIVE" });
  });

  test("malformed input to a mutation is a 400 with field messages, not a 500", async ({ page }) => {
    await signIn(page, "dba");
    const res = await mutate(page, "inventory.updateDataCenterStatus", { code: 7, status: "ON_FIRE" });
    expect(res.status).toBe(400);
    expect(res.body).toContain("fieldErrors");
    expect(res.body).toMatch(/status/);
  });
});
