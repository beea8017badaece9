import { randomUUID } from "node:crypto";
import { type Page } from "@playwright/test";
import { expect, signIn, sql, test, type TPersona } from "../fixtures";
import { LAB_CLUSTER, labPair, withLabServer } from "../fixtures/lab";
import { approveStage, statusOf, submitShown } from "../changes/change-helpers";

/**
 * ADD_LINK between two real servers of the local lab, end to end: filed in the console, approved
 * by the personas its stages name, run by the console's worker through the postgres driver, and
 * then checked on the servers themselves: a row written on the source is read on the target.
 */
test.describe.configure({ mode: "serial" });

/** The demo persona who may approve a stage, by the stage's name (seeded and default policies). */
function approversOf(stage: string): TPersona[] {
  if (/compliance/.test(stage)) return ["compliance"];
  if (/dba/.test(stage)) return ["dba", "second-dba"];
  if (/team|owner/.test(stage)) return ["team-approver"];
  throw new Error(`no demo approver for stage ${stage}`);
}

/** Signs in as each approver of each stage still open and approves it through the UI. */
async function approveEveryStage(page: Page, number: number, stages: string[]): Promise<string[]> {
  const approvedBy: string[] = [];
  for (const stage of stages) {
    for (const persona of approversOf(stage)) {
      if ((await statusOf(number)) !== "PENDING_APPROVAL") return approvedBy;
      await page.context().clearCookies();
      await signIn(page, persona);
      await page.goto(`/changes/${number}`);
      const stageRow = page.locator(`[data-testid=approval-stage][data-stage="${stage}"]`);
      await expect(stageRow).toBeVisible();
      if ((await stageRow.getAttribute("data-satisfied")) === "true") break;
      await approveStage(page, number, stage);
      approvedBy.push(`${stage}:${persona}`);
      // A quorum of one is met at once; a second DBA (HIGH risk) leaves the stage open.
      if ((await stageRow.getAttribute("data-satisfied")) === "true") break;
    }
  }
  return approvedBy;
}

test.describe("ADD_LINK between two lab servers", () => {
  test("filed, approved and run from the console: the link streams and a new row reaches the target", async ({ page }) => {
    test.setTimeout(300_000);
    const { cluster, primary, standby } = await labPair();

    // The engineer of the lab cluster's team files the link from the primary to a standby abroad.
    await signIn(page, "engineer");
    await page.goto("/changes/new?kind=ADD_LINK");
    await page.getByLabel("Cluster", { exact: true }).selectOption(cluster.id);
    await page.getByLabel("Source instance").selectOption(primary.id);
    // The target's data center is offered among the cluster's allowed jurisdictions.
    const allowedGroup = page.locator(`select optgroup[label^="Allowed for ${LAB_CLUSTER} ("]`);
    await expect(allowedGroup).toHaveCount(1);
    const groupLabel = (await allowedGroup.getAttribute("label")) ?? "";
    for (const j of cluster.allowedJurisdictions) expect(groupLabel).toContain(j);
    await expect(allowedGroup.locator(`option[value="${standby.dataCenterId}"]`)).toHaveCount(1);
    await page.getByLabel("Target data center").selectOption(standby.dataCenterId);
    await page.getByLabel("Target instance").selectOption(standby.id);
    await page.getByLabel("Tables to sync").fill("public.customers, public.orders");
    await page.getByLabel("Title (optional)").fill(`Sync ${primary.name} to ${standby.name}`);
    await page.getByTestId("save-change").click();
    await page.waitForURL(/\/changes\/\d+$/);
    const number = Number(/\/changes\/(\d+)$/.exec(page.url())![1]);

    // The residency verdict: data leaves the primary's jurisdiction for one the policy allows.
    await expect(page.getByTestId("residency-verdict").first()).toHaveAttribute("data-verdict", "CROSSES_WITHIN_POLICY");
    await expect(page.getByText(new RegExp(`Data of ${LAB_CLUSTER} would leave its home \\w+ for ${standby.jurisdiction}, which its policy allows`))).toBeVisible();

    await submitShown(page, number);
    const stages = await page.getByTestId("approval-stage").evaluateAll((els) => els.map((e) => e.getAttribute("data-stage") ?? ""));
    expect(stages.some((s) => /dba/.test(s))).toBe(true);
    await expect(page.getByTestId("execution-panel")).toHaveCount(0);

    const approvedBy = await approveEveryStage(page, number, stages);
    expect(approvedBy.length).toBeGreaterThanOrEqual(stages.length);
    expect(await statusOf(number)).not.toBe("PENDING_APPROVAL");

    // The last approver watches it run: every step succeeds on the real servers.
    const panel = page.getByTestId("execution-panel");
    await expect(panel).toBeVisible();
    await expect(panel.getByTestId("execution-status")).toHaveAttribute("data-status", "SUCCEEDED", { timeout: 180_000 });
    const steps = panel.getByTestId("execution-step");
    const n = await steps.count();
    expect(n).toBeGreaterThanOrEqual(3);
    await expect(panel.locator('[data-testid=execution-step][data-status="SUCCEEDED"]')).toHaveCount(n);
    await expect(panel.getByTestId("execution-step-of")).toHaveText(`Step ${n} of ${n}`);
    await expect(page.getByTestId("change-status")).toHaveAttribute("data-status", "SUCCEEDED");

    // The inventory holds one verified, ACTIVE link from the primary to the standby.
    const links = await sql<{ id: string; status: string; verified_at: Date | null; ok: boolean | null; tables: string[] }>(
      `SELECT id::text, status::text AS status, verified_at, (verification->>'ok')::boolean AS ok, tables::text[] AS tables
         FROM replication_link WHERE source_id = $1 AND target_id = $2`,
      [primary.id, standby.id],
    );
    expect(links).toHaveLength(1);
    const link = links[0]!;
    expect(link.status).toBe("ACTIVE");
    expect(link.verified_at).not.toBeNull();
    expect(link.ok).toBe(true);
    expect([...link.tables].sort()).toEqual(["public.customers", "public.orders"]);

    // On the servers: a row written on the source is read on the target by plain SQL.
    const marker = `e2e-${randomUUID()}`;
    await withLabServer(primary, (c) => c.query("INSERT INTO customers (name, country) VALUES ($1, 'DE')", [marker]));
    const started = Date.now();
    await expect
      .poll(
        () => withLabServer(standby, async (c) => (await c.query("SELECT count(*)::int AS n FROM customers WHERE name = $1", [marker])).rows[0]?.n ?? 0),
        { timeout: 10_000, intervals: [100, 200, 250] },
      )
      .toBe(1);
    console.log(
      `[add-link-lab] CR-${number} approved by ${approvedBy.join(", ")}; ${n} steps; ` +
        `row replicated ${primary.name} (${primary.jurisdiction}) -> ${standby.name} (${standby.jurisdiction}) in ${Date.now() - started} ms`,
    );
    // Only the tables asked for: the target has no order_events.
    const [other] = await withLabServer(standby, async (c) => (await c.query<{ t: string | null }>("SELECT to_regclass('public.order_events')::text AS t")).rows);
    expect(other?.t ?? null).toBeNull();

    // The cluster page lists the link as streaming, with its data verified.
    await page.goto(`/inventory/clusters/${LAB_CLUSTER}`);
    const row = page.getByTestId("link-row").filter({ hasText: standby.name }).filter({ hasText: primary.name });
    await expect(row).toHaveCount(1);
    await expect(row).toContainText("Streaming");
  });
});
