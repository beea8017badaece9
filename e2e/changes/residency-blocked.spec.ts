import { expect, signIn, sql, test } from "../fixtures";
import { trpcCall } from "./change-helpers";

test.describe("residency", () => {
  test("an engineer's ADD_LINK that would replicate PII outside its jurisdictions is BLOCKED, with the rule", async ({ page }) => {
    // A PII cluster of the engineer's team that may live in its home jurisdiction only, and a
    // data center with free slots in another jurisdiction.
    const [cluster] = await sql<{ id: string; name: string; home: string; primary_id: string }>(
      `SELECT c.id, c.name, c.home_jurisdiction_code AS home, p.id AS primary_id
         FROM cluster c JOIN team t ON t.id = c.team_id AND t.slug = 'payments'
         JOIN instance p ON p.cluster_id = c.id AND p.role = 'PRIMARY' AND p.health = 'UP'
        WHERE c.classification = 'PII' AND c.allowed_jurisdictions = ARRAY[c.home_jurisdiction_code]::varchar[]
        ORDER BY c.name LIMIT 1`,
    );
    const [dc] = await sql<{ id: string; code: string; jurisdiction: string }>(
      `SELECT d.id, d.code, d.jurisdiction_code AS jurisdiction FROM data_center d
        WHERE d.status = 'ACTIVE' AND d.jurisdiction_code <> $1
          AND d.capacity_slots > (SELECT count(*) FROM instance i WHERE i.data_center_id = d.id)
        ORDER BY d.code LIMIT 1`,
      [cluster!.home],
    );

    await signIn(page, "engineer");
    await page.goto("/changes/new?kind=ADD_LINK");
    await page.getByLabel("Cluster", { exact: true }).selectOption(cluster!.id);
    await page.getByLabel("Source instance").selectOption(cluster!.primary_id);
    // The form says so before anything is filed: the data center is outside the allowed list.
    const target = page.getByLabel("Target data center");
    await expect(target.locator(`option[value="${dc!.id}"]`)).toContainText("not allowed");
    await target.selectOption(dc!.id);
    await page.getByTestId("save-change").click();

    await page.waitForURL(/\/changes\/\d+$/);
    await expect(page.getByTestId("change-status")).toHaveAttribute("data-status", "BLOCKED");
    await expect(page.getByTestId("residency-verdict")).toHaveAttribute("data-verdict", "BLOCKED");
    await expect(page.getByTestId("residency-rule")).toHaveText(
      `residency/allowed-jurisdictions: cluster ${cluster!.name} (PII) may live in ${cluster!.home} only; the change would replicate to ${dc!.jurisdiction} (${dc!.code})`,
    );
    // Nothing to submit: no approval can allow it, and the server refuses anyway.
    await expect(page.getByTestId("submit-change")).toHaveCount(0);
    const number = Number(/\/changes\/(\d+)$/.exec(page.url())![1]);
    const [row] = await sql<{ status: string; residency_rule: string; version: number }>(
      "SELECT status::text AS status, residency_rule, version FROM change_request WHERE number = $1",
      [number],
    );
    expect(row!.status).toBe("BLOCKED");
    const res = await trpcCall(page, "changes.submit", { number, expectedVersion: row!.version });
    expect(res.status).toBe(409);
    expect(res.body).toContain("blocked by policy");

    // The list shows it with the blocked family badge.
    await page.goto("/changes?family=blocked");
    await expect(page.getByTestId("change-row").filter({ hasText: `CR-${number}` })).toContainText("Blocked by policy");
  });

  test("bad parameters get field messages next to the fields, and a 400 from the server", async ({ page }) => {
    await signIn(page, "engineer");
    await page.goto("/changes/new?kind=SWITCHOVER");
    await page.getByTestId("save-change").click();
    await expect(page.getByText("Cluster is required")).toBeVisible();
    await expect(page.getByText("Replica to promote is required")).toBeVisible();
    const res = await trpcCall(page, "changes.create", { params: { kind: "SWITCHOVER", clusterId: "x", maxLagSeconds: -1 } });
    expect(res.status).toBe(400);
    const body = JSON.parse(res.body) as { error: { json: { data: { fieldErrors: Record<string, string[]> } } } };
    expect(body.error.json.data.fieldErrors).toMatchObject({
      "params.clusterId": ["Cluster must be an id (uuid)"],
      "params.replicaInstanceId": ["Replica to promote is required"],
      "params.maxLagSeconds": ["Maximum lag cannot be negative"],
    });
  });
});
