import { type Page } from "@playwright/test";
import { count, expect, signIn, sql, test, type TPersona } from "../fixtures";
import { approveStage, statusOf, submitShown, trpcCall } from "../changes/change-helpers";

test.describe.configure({ mode: "serial" });

/** Who approves which stage of the seeded policies. */
const APPROVER_OF: Record<string, TPersona> = { "owner-team": "team-approver", dba: "dba", compliance: "compliance" };

/**
 * A cluster of the demo team `payments` that can take one more replica in its home
 * jurisdiction: every instance UP, not personal or regulated data (no compliance stage), and a
 * data center of that jurisdiction with a free slot and no instance of the cluster yet. Not a
 * two-instance cluster (the SWITCHOVER specs pick those). Not the local lab's cluster either
 * (real servers, where Meridian provisions nothing: sync/ covers it).
 */
async function addReplicaTarget() {
  const [row] = await sql<{ cluster_id: string; cluster_name: string; dc_id: string; dc_code: string }>(
    `SELECT c.id AS cluster_id, c.name AS cluster_name, d.id AS dc_id, d.code AS dc_code
       FROM cluster c
       JOIN team t ON t.id = c.team_id AND t.slug = 'payments'
       JOIN data_center d ON d.jurisdiction_code = c.home_jurisdiction_code AND d.status = 'ACTIVE'
      WHERE c.classification IN ('PUBLIC', 'INTERNAL', 'CONFIDENTIAL')
        AND EXISTS (SELECT 1 FROM instance p WHERE p.cluster_id = c.id AND p.role = 'PRIMARY')
        AND NOT EXISTS (SELECT 1 FROM instance i WHERE i.cluster_id = c.id AND i.health <> 'UP')
        AND NOT EXISTS (SELECT 1 FROM instance i WHERE i.cluster_id = c.id AND i.driver = 'POSTGRES')
        AND (SELECT count(*) FROM instance i WHERE i.cluster_id = c.id) <> 2
        AND NOT EXISTS (SELECT 1 FROM instance i WHERE i.cluster_id = c.id AND i.data_center_id = d.id)
        AND d.capacity_slots > (SELECT count(*) FROM instance i WHERE i.data_center_id = d.id)
      ORDER BY c.name, d.code LIMIT 1`,
  );
  if (!row) throw new Error("the demo fleet has no payments cluster that can take a replica");
  return { clusterId: row.cluster_id, clusterName: row.cluster_name, dataCenterId: row.dc_id, dataCenterCode: row.dc_code };
}

async function approveEveryStage(page: Page, number: number, names: string[]): Promise<void> {
  for (const stage of names) {
    const persona = APPROVER_OF[stage];
    if (!persona) throw new Error(`no demo approver for stage ${stage}`);
    await page.context().clearCookies();
    await signIn(page, persona);
    await page.goto(`/changes/${number}`);
    await approveStage(page, number, stage);
    if (stage === "dba" && (await statusOf(number)) === "PENDING_APPROVAL") {
      // HIGH risk: a second, distinct DBA.
      await page.context().clearCookies();
      await signIn(page, "second-dba");
      await page.goto(`/changes/${number}`);
      await approveStage(page, number, "dba");
    }
  }
}

test.describe("an approved ADD_REPLICA runs in the console's worker", () => {
  let number = 0;
  let target: Awaited<ReturnType<typeof addReplicaTarget>>;

  test("filed, approved by the team approver and a DBA, it runs to SUCCEEDED live, and the cluster shows the new replica", async ({ page }) => {
    target = await addReplicaTarget();
    const before = await count("select count(*) from instance where cluster_id = $1", [target.clusterId]);

    await signIn(page, "engineer");
    await page.goto("/changes/new?kind=ADD_REPLICA");
    await page.getByLabel("Cluster", { exact: true }).selectOption(target.clusterId);
    await page.getByLabel("Data center of the new replica").selectOption(target.dataCenterId);
    await page.getByLabel("Title (optional)").fill(`Replica of ${target.clusterName} in ${target.dataCenterCode}`);
    await page.getByTestId("save-change").click();
    await page.waitForURL(/\/changes\/\d+$/);
    number = Number(/\/changes\/(\d+)$/.exec(page.url())![1]);
    await submitShown(page, number);
    const stages = await page.getByTestId("approval-stage").evaluateAll((els) => els.map((e) => e.getAttribute("data-stage") ?? ""));
    expect(stages).toContain("dba");
    // Not approved yet: no execution section.
    await expect(page.getByTestId("execution-panel")).toHaveCount(0);

    await approveEveryStage(page, number, stages);
    // The last approver stays on the page: no reload from here on.
    await page.evaluate(() => {
      (window as unknown as { __meridianNoReload: boolean }).__meridianNoReload = true;
    });
    const panel = page.getByTestId("execution-panel");
    await expect(panel).toBeVisible();
    await expect(panel.getByTestId("execution-status")).toHaveAttribute("data-status", "SUCCEEDED", { timeout: 30_000 });
    const steps = panel.getByTestId("execution-step");
    const n = await steps.count();
    expect(n).toBeGreaterThanOrEqual(4);
    await expect(panel.locator('[data-testid=execution-step][data-status="SUCCEEDED"]')).toHaveCount(n);
    await expect(panel.getByTestId("execution-step-of")).toHaveText(`Step ${n} of ${n}`);
    await expect(panel.getByTestId("execution-elapsed")).toContainText(/elapsed \d+\.\d s/);
    await expect(panel.getByRole("progressbar")).toHaveAttribute("aria-valuenow", "100");
    await expect(steps.first().getByTestId("step-duration")).toHaveText(/^\d+\.\d s$/);
    // The header's badge followed the execution, without a reload.
    await expect(page.getByTestId("change-status")).toHaveAttribute("data-status", "SUCCEEDED");
    expect(await page.evaluate(() => (window as unknown as { __meridianNoReload?: boolean }).__meridianNoReload)).toBe(true);
    // Log lines, one click away.
    await steps.first().getByRole("button", { name: /^Log \(\d+\)$/ }).click();
    await expect(steps.first().locator("pre")).toContainText("checkCapacity");
    // Nothing left to operate on a finished execution.
    await expect(panel.getByRole("button", { name: /pause|resume|cancel and roll back|retry step/i })).toHaveCount(0);

    // The fleet changed: one more instance, in the chosen data center, replicated from the primary.
    expect(await statusOf(number)).toBe("SUCCEEDED");
    expect(await count("select count(*) from instance where cluster_id = $1", [target.clusterId])).toBe(before + 1);
    const [added] = await sql<{ name: string }>(
      `SELECT i.name FROM instance i WHERE i.cluster_id = $1 AND i.data_center_id = $2 AND i.role = 'REPLICA'`,
      [target.clusterId, target.dataCenterId],
    );
    expect(added).toBeTruthy();
    expect(
      await count(
        `select count(*) from replication_link l join instance s on s.id = l.source_id join instance t on t.id = l.target_id
          where t.name = $1 and s.role = 'PRIMARY' and s.cluster_id = $2`,
        [added!.name, target.clusterId],
      ),
    ).toBe(1);

    // The cluster page, one click away, shows the new replica.
    await panel.getByTestId("execution-cluster-link").click();
    await page.waitForURL(new RegExp(`/inventory/clusters/${target.clusterName}`));
    await expect(page.getByTestId("instance-row").filter({ hasText: added!.name })).toBeVisible();
    await expect(page.getByTestId("instance-row").filter({ hasText: added!.name })).toContainText(target.dataCenterCode);
  });

  test("the leadership viewer sees the execution but no control, and the server refuses the actions", async ({ page }) => {
    await signIn(page, "leadership");
    await page.goto(`/changes/${number}`);
    const panel = page.getByTestId("execution-panel");
    await expect(panel.getByTestId("execution-status")).toHaveAttribute("data-status", "SUCCEEDED");
    await expect(panel.getByRole("button", { name: /pause|resume|cancel|retry/i })).toHaveCount(0);
    for (const path of ["executions.pause", "executions.resume", "executions.cancel", "executions.retryStep"]) {
      const res = await trpcCall(page, path, { number });
      expect(res.status, path).toBe(403);
    }
    const read = await trpcCall(page, "executions.forRequest", { number }, "query");
    expect(read.status).toBe(200);
  });

  test("a DBA's action on a finished execution is refused with a readable reason and is not audited", async ({ page }) => {
    await signIn(page, "dba");
    await page.goto(`/changes/${number}`);
    const auditBefore = await count("select count(*) from audit_event where action like 'execution.%' and actor_email not like 'engine:%'");
    const res = await trpcCall(page, "executions.pause", { number });
    expect(res.status).toBe(409);
    expect(res.body).toContain(`CR-${number}: An execution that is succeeded cannot be paused`);
    expect(await count("select count(*) from audit_event where action like 'execution.%' and actor_email not like 'engine:%'")).toBe(auditBefore);
  });
});
