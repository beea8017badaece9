import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TTestDatabase } from "@meridian/db/testing";
import { createSimulatedDriver, SIMULATED_DURATIONS_MS, type TFaultInput } from "@meridian/fleet";
import { startWorker, type TWorker } from "@meridian/orchestrator/engine";
import { type TChangeParamsInput } from "@meridian/policy";
import { ZDecideChangeRequestRequestSchema } from "../../routers/approvals/decide-change-request.schema";
import { ZCreateChangeRequestRequestSchema } from "../../routers/changes/create-change-request.schema";
import { callHttp } from "../../test/http";
import { actorOf, clusterNamed, seedFleet, switchoverParams } from "../../test/change-fixtures";
import { decideChangeRequest } from "../approvals";
import { verifyAuditChain } from "../audit";
import { type TActor } from "../changes/actor";
import { createChangeRequest, getChangeRequest, submitChangeRequest } from "../changes";
import { type TExecutionStatus, type TRequestExecutions } from "./index";

let db: TTestDatabase;
let engineer: TActor;
let approver: TActor;
let dba: TActor;
let dba2: TActor;
let compliance: TActor;
let leadership: TActor;
let worker: TWorker | null = null;

beforeAll(async () => {
  db = await createTestDatabase();
  await seedFleet(db.prisma);
  const actors = await Promise.all((["engineer", "team-approver", "dba", "second-dba", "compliance", "leadership"] as const).map((p) => actorOf(db.prisma, p)));
  [engineer, approver, dba, dba2, compliance, leadership] = actors as [TActor, TActor, TActor, TActor, TActor, TActor];
});
afterEach(async () => {
  await worker?.stop();
  worker = null;
});
afterAll(async () => {
  await db.drop();
});

/** A worker in this process on the test database; `stepMs` for every simulated action (0: instant). */
function runWorker(stepMs: number, faults: TFaultInput[] = []): TWorker {
  worker = startWorker({
    databaseUrl: db.url,
    driver: createSimulatedDriver({
      durationsMs: Object.fromEntries(Object.keys(SIMULATED_DURATIONS_MS).map((k) => [k, stepMs])),
      faults,
    }),
    concurrency: 2,
    leaseMs: 5_000,
    pollMs: 100,
    log: () => {},
  });
  return worker;
}

/** Files, submits and approves a request through the services (every stage, by whoever may approve it). */
async function approved(params: TChangeParamsInput, title: string): Promise<number> {
  const now = new Date();
  const draft = await createChangeRequest(db.prisma, engineer, ZCreateChangeRequestRequestSchema.parse({ params, title }), { now });
  const v = await db.prisma.changeRequest.findUniqueOrThrow({ where: { number: draft.number }, select: { version: true } });
  await submitChangeRequest(db.prisma, engineer, { number: draft.number, expectedVersion: v.version }, { now });
  for (let round = 0; round < 6; round++) {
    const r = await db.prisma.changeRequest.findUniqueOrThrow({ where: { number: draft.number }, select: { status: true, planHash: true } });
    if (r.status !== "PENDING_APPROVAL") break;
    for (const actor of [approver, dba, compliance, dba2]) {
      const detail = await getChangeRequest(db.prisma, actor, draft.number);
      const stage = detail.actions.approvableStages[0];
      if (!stage || detail.status !== "PENDING_APPROVAL") continue;
      await decideChangeRequest(
        db.prisma,
        actor,
        ZDecideChangeRequestRequestSchema.parse({ number: draft.number, stage, decision: "APPROVE", planHash: r.planHash }),
        { now },
      );
      break;
    }
  }
  const final = await db.prisma.changeRequest.findUniqueOrThrow({ where: { number: draft.number }, select: { status: true } });
  expect(final.status).toBe("APPROVED");
  return draft.number;
}

async function view(number: number, actor: TActor = dba): Promise<TRequestExecutions> {
  const res = await callHttp(db.prisma, actor, "executions.forRequest", "query", { number });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return (res.body as { result: { data: { json: TRequestExecutions } } }).result.data.json;
}

async function waitFor(number: number, predicate: (v: TRequestExecutions) => boolean, what: string, timeoutMs = 30_000): Promise<TRequestExecutions> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await view(number);
    if (predicate(v)) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify({ status: v.execution?.status, request: v.request.status, steps: v.execution?.steps.map((s) => s.status) })}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const statusIs = (...statuses: TExecutionStatus[]) => (v: TRequestExecutions) => Boolean(v.execution && statuses.includes(v.execution.status));

async function operate(actor: TActor, path: string, input: Record<string, unknown>) {
  const res = await callHttp(db.prisma, actor, `executions.${path}`, "mutation", input);
  const body = res.body as { result?: { data: { json: { from: string; to: string } } }; error?: { json: { message: string; data: { code: string } } } };
  return { status: res.status, data: body.result?.data.json, error: body.error?.json };
}

async function executionAudit(executionId: string) {
  return db.prisma.auditEvent.findMany({
    where: { targetType: "execution", targetId: executionId },
    orderBy: { id: "asc" },
    select: { action: true, actorEmail: true, before: true, after: true },
  });
}

describe("executions: the engine wired into the API", () => {
  it("runs an approved ADD_REPLICA to SUCCEEDED and the fleet has the new replica, linked from the primary", async () => {
    const cluster = await clusterNamed(db.prisma, "payments-ledger-eu-02");
    const primary = cluster.instances.find((i) => i.role === "PRIMARY")!;
    const full = await db.prisma.cluster.findUniqueOrThrow({ where: { id: cluster.id }, select: { homeJurisdictionCode: true } });
    const used = new Set(cluster.instances.map((i) => i.dataCenterId));
    const candidates = await db.prisma.dataCenter.findMany({
      where: { jurisdictionCode: full.homeJurisdictionCode, status: "ACTIVE" },
      orderBy: { code: "asc" },
      select: { id: true, code: true },
    });
    const dc = candidates.find((d) => !used.has(d.id))!;
    expect(dc, "a free data center in the cluster's home jurisdiction").toBeTruthy();
    const number = await approved({ kind: "ADD_REPLICA", clusterId: cluster.id, dataCenterId: dc.id }, `Replica of ${cluster.name} in ${dc.code}`);

    // Before any worker: the last approval enqueued the execution, nothing ran; everyone may read.
    const idle = await view(number, leadership);
    expect(idle).toMatchObject({ canOperate: false, execution: { status: "QUEUED", attempt: 1 }, request: { status: "APPROVED", number } });
    expect(idle.execution!.steps.every((s) => s.status === "PENDING" && s.attempt === 0)).toBe(true);

    runWorker(0);
    const done = await waitFor(number, statusIs("SUCCEEDED", "FAILED", "ROLLED_BACK"), "the execution to finish");
    const e = done.execution!;
    expect(e.status).toBe("SUCCEEDED");
    expect(done.request.status).toBe("SUCCEEDED");
    expect(e.progress).toMatchObject({ step: e.steps.length, of: e.steps.length, done: e.steps.length, percent: 100 });
    expect(e.steps.every((s) => s.status === "SUCCEEDED" && s.attempt === 1 && s.durationMs !== null)).toBe(true);
    expect(e.steps.some((s) => s.log.length > 0)).toBe(true);
    expect(e.controls).toEqual({ canPause: false, canResume: false, canCancel: false, canRetry: false, retryStepIndex: null });

    const after = await db.prisma.instance.findMany({ where: { clusterId: cluster.id }, select: { id: true, role: true, dataCenterId: true } });
    expect(after).toHaveLength(cluster.instances.length + 1);
    const added = after.find((i) => i.dataCenterId === dc.id);
    expect(added?.role).toBe("REPLICA");
    const link = await db.prisma.replicationLink.findFirst({ where: { sourceId: primary.id, targetId: added!.id } });
    expect(link).not.toBeNull();
    // The engine audited the start and the end of the execution.
    expect((await executionAudit(e.id)).map((a) => a.action)).toEqual(["execution.started", "execution.succeeded"]);
  });

  it("pause, resume and cancel (rolled back) through the procedures, each audited; refused when the state does not allow it", async () => {
    const number = await approved(await switchoverParams(db.prisma, "payments-ledger-eu-02"), "Switchover to pause, resume and cancel");
    const before = await db.prisma.instance.findMany({ where: { cluster: { name: "payments-ledger-eu-02" } }, select: { id: true, role: true }, orderBy: { id: "asc" } });
    runWorker(250);
    const running = await waitFor(number, (v) => v.execution?.status === "RUNNING" && v.execution.steps.some((s) => s.status === "SUCCEEDED"), "a step done");
    expect(running.execution!.controls).toMatchObject({ canPause: true, canResume: false, canCancel: true, canRetry: false });
    expect((await view(number, leadership)).execution!.controls).toMatchObject({ canPause: false, canCancel: false });

    // The leadership viewer (VIEWER) and an engineer are refused; nothing changes.
    for (const actor of [leadership, engineer]) {
      for (const path of ["pause", "resume", "cancel", "retryStep"]) expect((await operate(actor, path, { number })).status).toBe(403);
    }

    const paused = await operate(dba, "pause", { number, executionId: running.execution!.id });
    expect(paused.status).toBe(200);
    expect(paused.data).toMatchObject({ from: "RUNNING", to: "PAUSED" });
    // The running step finishes, then nothing more runs.
    const still = await waitFor(number, (v) => v.execution!.steps.every((s) => s.status !== "RUNNING"), "the running step to finish");
    const doneWhenPaused = still.execution!.steps.filter((s) => s.status === "SUCCEEDED").length;
    await new Promise((r) => setTimeout(r, 700));
    const later = await view(number);
    expect(later.execution!.status).toBe("PAUSED");
    expect(later.execution!.steps.filter((s) => s.status === "SUCCEEDED").length).toBe(doneWhenPaused);
    expect(later.execution!.controls).toMatchObject({ canPause: false, canResume: true, canCancel: true });

    const again = await operate(dba2, "pause", { number });
    expect(again.status).toBe(409);
    expect(again.error?.message).toBe(`CR-${number}: An execution that is paused cannot be paused`);

    const resumed = await operate(dba2, "resume", { number });
    expect(resumed.data).toMatchObject({ from: "PAUSED", to: "RUNNING" });
    await waitFor(number, (v) => v.execution!.steps.filter((s) => s.status === "SUCCEEDED").length > doneWhenPaused, "progress after resume");

    const cancelled = await operate(dba, "cancel", { number, reason: "wrong replica" });
    expect(cancelled.data).toMatchObject({ from: "RUNNING", to: "COMPENSATING" });
    const rolledBack = await waitFor(number, statusIs("ROLLED_BACK", "FAILED"), "the rollback");
    expect(rolledBack.execution!.status).toBe("ROLLED_BACK");
    expect(rolledBack.request.status).toBe("ROLLED_BACK");
    expect(rolledBack.execution!.progress.direction).toBe("rollback");
    expect(rolledBack.execution!.steps.some((s) => s.log.some((l) => l.includes(`cancelled by ${dba.email}: wrong replica`)))).toBe(true);
    const after = await db.prisma.instance.findMany({ where: { cluster: { name: "payments-ledger-eu-02" } }, select: { id: true, role: true }, orderBy: { id: "asc" } });
    expect(after).toEqual(before);

    const tooLate = await operate(dba, "resume", { number });
    expect(tooLate.status).toBe(409);
    expect(tooLate.error?.message).toContain("rolled back cannot be resumed");
    expect((await operate(dba, "retryStep", { number })).status).toBe(409);

    const audit = await executionAudit(rolledBack.execution!.id);
    const operator = audit.filter((a) => !a.actorEmail?.startsWith("engine:"));
    expect(operator).toEqual([
      { action: "execution.pause", actorEmail: dba.email, before: { status: "RUNNING" }, after: expect.objectContaining({ status: "PAUSED", number }) },
      { action: "execution.resume", actorEmail: dba2.email, before: { status: "PAUSED" }, after: expect.objectContaining({ status: "RUNNING", number }) },
      { action: "execution.cancel", actorEmail: dba.email, before: { status: "RUNNING" }, after: expect.objectContaining({ status: "COMPENSATING", reason: "wrong replica" }) },
    ]);
    expect((await verifyAuditChain(db.prisma, null, { now: new Date(), record: false })).ok).toBe(true);
  });

  it("cancel before the first step: CANCELLED, the request too; retry of a failed compensation", async () => {
    // No worker running: enqueue through the engine (as the worker's sweep would), cancel while QUEUED.
    const { enqueueExecution } = await import("@meridian/orchestrator/engine");
    const pg = (await import("pg")).default;
    const pool = new pg.Pool({ connectionString: db.url, max: 2 });
    try {
      const number = await approved(await switchoverParams(db.prisma, "payments-ledger-eu-02"), "Switchover cancelled while queued");
      const r = await db.prisma.changeRequest.findUniqueOrThrow({ where: { number }, select: { id: true } });
      await enqueueExecution(pool, r.id);
      expect((await view(number)).execution).toMatchObject({ status: "QUEUED", controls: { canPause: true, canCancel: true } });
      const cancelled = await operate(dba, "cancel", { number });
      expect(cancelled.data).toMatchObject({ from: "QUEUED", to: "CANCELLED" });
      const v = await view(number);
      expect(v.request.status).toBe("CANCELLED");
      expect(v.execution!.steps.every((s) => s.status === "SKIPPED")).toBe(true);
    } finally {
      await pool.end();
    }

    // A forward step fails for good, then the compensation of an earlier step fails: FAILED.
    const number = await approved(await switchoverParams(db.prisma, "payments-ledger-eu-02"), "Switchover whose rollback fails");
    runWorker(0, [
      { kind: "fail", stepIndex: 3, retryable: false, message: "promotion refused" },
      { kind: "fail", stepIndex: 1, phase: "compensate", retryable: false, message: "unfence refused" },
    ]);
    const failed = await waitFor(number, statusIs("FAILED", "ROLLED_BACK", "SUCCEEDED"), "the failed rollback");
    expect(failed.execution!.status).toBe("FAILED");
    expect(failed.request.status).toBe("FAILED");
    expect(failed.execution!.controls).toMatchObject({ canRetry: true, retryStepIndex: 1, canCancel: false });
    // Lift the faults: a new worker with a clean driver.
    await worker?.stop();
    worker = null;
    runWorker(0);
    const retried = await operate(dba, "retryStep", { number, stepIndex: 1 });
    expect(retried.status).toBe(200);
    expect(retried.data).toMatchObject({ from: "FAILED", to: "COMPENSATING" });
    const rolledBack = await waitFor(number, statusIs("ROLLED_BACK"), "the rollback after the retry");
    expect(rolledBack.request.status).toBe("ROLLED_BACK");
    const audit = await executionAudit(rolledBack.execution!.id);
    expect(audit.find((a) => a.action === "execution.retryStep")).toMatchObject({
      actorEmail: dba.email,
      before: { status: "FAILED" },
      after: expect.objectContaining({ status: "COMPENSATING", stepIndex: 1 }),
    });
  });

  it("reads need execution.read; unknown requests are 404", async () => {
    expect((await callHttp(db.prisma, leadership, "executions.forRequest", "query", { number: 999_999 })).status).toBe(404);
    expect((await operate(dba, "cancel", { number: 999_999 })).status).toBe(404);
  });
});
