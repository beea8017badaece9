import { expect, signIn, sql, test } from "../fixtures";
import { approveStage, fileSwitchover, statusOf, submitShown, switchoverTarget, trpcCall } from "../changes/change-helpers";

test.describe.configure({ mode: "serial" });

test.describe("an allowed SWITCHOVER through its approvals", () => {
  let number = 0;

  test("the engineer files it and submits it; the stages are routed", async ({ page }) => {
    const target = await switchoverTarget();
    await signIn(page, "engineer");
    number = await fileSwitchover(page, target, `Planned switchover of ${target.clusterName}`);
    // The plan and its preview are there before anything is approved.
    await expect(page.getByTestId("plan-step").first()).toBeVisible();
    await page.getByTestId("risk-badge").first().click();
    await expect(page.getByTestId("risk-reasons")).toContainText("switchover change (+3)");
    await submitShown(page, number);
    await expect(page.getByTestId("approval-stage")).toHaveCount(2);
    await expect(page.locator('[data-testid=approval-stage][data-stage="owner-team"]')).toBeVisible();
    await expect(page.locator('[data-testid=approval-stage][data-stage="dba"]')).toBeVisible();
  });

  test("the requester cannot approve it: no button, and the server refuses", async ({ page }) => {
    await signIn(page, "engineer");
    await page.goto(`/changes/${number}`);
    await expect(page.getByTestId("approval-panel")).toBeVisible();
    await expect(page.getByRole("button", { name: /^(approve|reject)$/i })).toHaveCount(0);
    const [row] = await sql<{ plan_hash: string }>("SELECT plan_hash FROM change_request WHERE number = $1", [number]);
    const res = await trpcCall(page, "approvals.decide", { number, stage: "owner-team", decision: "APPROVE", planHash: row!.plan_hash });
    expect(res.status).toBe(403);
    expect(await statusOf(number)).toBe("PENDING_APPROVAL");
    expect(Number((await sql<{ n: number }>("SELECT count(*)::int AS n FROM approval a JOIN change_request r ON r.id = a.request_id WHERE r.number = $1", [number]))[0]!.n)).toBe(0);
  });

  test("the leadership viewer sees it but cannot act", async ({ page }) => {
    await signIn(page, "leadership");
    await page.goto(`/changes/${number}`);
    await expect(page.getByRole("heading", { level: 1 })).toContainText(`CR-${number}`);
    await expect(page.getByTestId("change-status")).toHaveAttribute("data-status", "PENDING_APPROVAL");
    await expect(page.getByRole("button", { name: /approve|reject|submit|cancel request|comment/i })).toHaveCount(0);
    await expect(page.getByTestId("edit-change")).toHaveCount(0);
    await expect(page.getByLabel("Add a comment")).toHaveCount(0);
    const [row] = await sql<{ plan_hash: string; version: number }>("SELECT plan_hash, version FROM change_request WHERE number = $1", [number]);
    for (const [path, input] of [
      ["approvals.decide", { number, stage: "dba", decision: "APPROVE", planHash: row!.plan_hash }],
      ["changes.cancel", { number, expectedVersion: row!.version }],
      ["changes.comment", { number, body: "I approve" }],
    ] as const) {
      const res = await trpcCall(page, path, input);
      expect(res.status, path).toBe(403);
    }
    expect(await statusOf(number)).toBe("PENDING_APPROVAL");
    await page.goto("/changes");
    await expect(page.getByTestId("change-row").filter({ hasText: `CR-${number}` })).toBeVisible();
    await expect(page.getByTestId("new-change")).toHaveCount(0);
  });

  test("the team approver approves from the inbox", async ({ page }) => {
    await signIn(page, "team-approver");
    await page.goto("/approvals");
    const row = page.locator(`[data-testid=inbox-actionable][data-number="${number}"]`);
    await expect(row).toContainText("owner-team");
    await row.getByRole("link", { name: `CR-${number}` }).click();
    await approveStage(page, number, "owner-team", "Payments agrees");
    await expect(page.locator('[data-testid=approval-stage][data-stage="owner-team"]')).toHaveAttribute("data-satisfied", "true");
    await expect(page.locator('[data-testid=approval-stage][data-stage="owner-team"]')).toContainText("Lena Fischer approved");
    await expect(page.getByTestId("change-status")).toHaveAttribute("data-status", "PENDING_APPROVAL");
  });

  test("a DBA approves; the request becomes APPROVED (a second DBA too when the clock made it HIGH)", async ({ page }) => {
    await signIn(page, "dba");
    await page.goto(`/changes/${number}`);
    await approveStage(page, number, "dba");
    const [{ risk }] = (await sql<{ risk: string }>("SELECT risk_level::text AS risk FROM change_request WHERE number = $1", [number])) as [{ risk: string }];
    if (risk === "HIGH" || risk === "CRITICAL") {
      // HIGH risk needs two distinct DBAs: the same DBA cannot count twice.
      await expect(page.getByTestId("approve-dba")).toHaveCount(0);
      await expect(page.getByTestId("decision-blocked")).toContainText("already approved");
      await page.context().clearCookies();
      await signIn(page, "second-dba");
      await page.goto(`/changes/${number}`);
      await approveStage(page, number, "dba");
    } else {
      expect(risk).toBe("MEDIUM");
    }
    // Approved; the console's worker then starts it at once (RUNNING, SUCCEEDED: e2e/executions).
    await expect(page.getByTestId("change-status")).toHaveAttribute("data-status", /^(APPROVED|RUNNING|SUCCEEDED)$/);
    await expect(page.locator('[data-testid=approval-stage][data-stage="dba"]')).toHaveAttribute("data-satisfied", "true");
    expect(["APPROVED", "RUNNING", "SUCCEEDED"]).toContain(await statusOf(number));
    const events = await sql<{ action: string }>(
      `SELECT e.action FROM audit_event e JOIN change_request r ON r.id::text = e.target_id WHERE r.number = $1 ORDER BY e.id`,
      [number],
    );
    expect(events.map((e) => e.action).filter((a) => a === "changeRequest.approved")).toHaveLength(1);
    const hooks = await sql<{ event: string }>(
      `SELECT event FROM webhook_outbox WHERE payload->'data'->'changeRequest'->>'number' = $1 ORDER BY created_at`,
      [String(number)],
    );
    expect(hooks.map((h) => h.event).slice(0, 3)).toEqual(["change_request.draft", "change_request.pending_approval", "change_request.approved"]);
    // The console's worker runs it: let it settle so the next tests pick their targets from a still fleet.
    await expect.poll(() => statusOf(number), { timeout: 30_000 }).toBe("SUCCEEDED");
    // The engine's status changes are announced like people's: the team's chat hears it started and finished.
    const after = await sql<{ event: string }>(
      `SELECT event FROM webhook_outbox WHERE payload->'data'->'changeRequest'->>'number' = $1 ORDER BY created_at`,
      [String(number)],
    );
    expect(after.map((h) => h.event)).toEqual([
      "change_request.draft",
      "change_request.pending_approval",
      "change_request.approved",
      "change_request.running",
      "change_request.succeeded",
    ]);
  });
});

test.describe("separation of duties for a DBA requester", () => {
  test("a DBA cannot approve their own request even though they hold the DBA role", async ({ page }) => {
    const target = await switchoverTarget();
    await signIn(page, "dba");
    const number = await fileSwitchover(page, target, `DBA-filed switchover of ${target.clusterName}`);
    await submitShown(page, number);
    await expect(page.getByTestId("approve-dba")).toHaveCount(0);
    await expect(page.getByTestId("decision-blocked")).toContainText("requester cannot approve own request");
    const [row] = await sql<{ plan_hash: string }>("SELECT plan_hash FROM change_request WHERE number = $1", [number]);
    const res = await trpcCall(page, "approvals.decide", { number, stage: "dba", decision: "APPROVE", planHash: row!.plan_hash });
    expect(res.status).toBe(403);
    expect(res.body).toContain("requester cannot approve own request");
    expect(await statusOf(number)).toBe("PENDING_APPROVAL");
  });
});
