import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testServerUrl } from "@meridian/db/testing";
import { createSimulatedDriver, listSideEffects, SIMULATED_DURATIONS_MS, type TFaultInput } from "@meridian/fleet";
import { type TPlan } from "../core/plan";
import { EngineError, LeaseLostError } from "./errors";
import {
  cancelExecution,
  claimNextExecution,
  commitAttempt,
  enqueueExecution,
  getExecution,
  heartbeat,
  beginAttempt,
  pauseExecution,
  resumeExecution,
  retryFailedStep,
  resolveStepManually,
} from "./execution-store";
import { type TEngineEvent } from "./executor";
import {
  createSeededDatabase,
  fileAddReplicaRequests,
  insertRequest,
  waitFor,
  waitForStatus,
  withFastRetries,
  type TTrialDatabase,
} from "./testing/fixtures";
import { startWorker, type TWorker } from "./worker";

const ZERO_DURATIONS = Object.fromEntries(Object.keys(SIMULATED_DURATIONS_MS).map((k) => [k, 0]));

let db: TTrialDatabase;
const workers: TWorker[] = [];

beforeAll(async () => {
  db = await createSeededDatabase(testServerUrl(), { instances: 80 });
});

afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop()));
  await db?.drop();
});

function worker(
  options: {
    faults?: TFaultInput[];
    durationsMs?: Record<string, number>;
    scale?: number;
    id?: string;
    events?: TEngineEvent[];
    concurrency?: number;
    leaseMs?: number;
    enqueueApproved?: boolean;
  } = {},
): TWorker {
  const w = startWorker({
    databaseUrl: db.url,
    workerId: options.id ?? `test-${workers.length}`,
    concurrency: options.concurrency ?? 2,
    leaseMs: options.leaseMs ?? 2_000,
    pollMs: 100,
    driver: createSimulatedDriver({ durationScale: options.scale ?? 0, durationsMs: options.durationsMs ?? {}, faults: options.faults ?? [] }),
    onEvent: (e) => options.events?.push(e),
    stopTimeoutMs: 3_000,
    enqueueApproved: options.enqueueApproved ?? false,
  });
  workers.push(w);
  return w;
}

async function stopAll(): Promise<void> {
  await Promise.all(workers.splice(0).map((w) => w.stop()));
}

async function instanceExists(id: string): Promise<boolean> {
  const { rows } = await db.pool.query(`SELECT 1 FROM instance WHERE id = $1`, [id]);
  return rows.length > 0;
}

async function linkExists(id: string): Promise<boolean> {
  const { rows } = await db.pool.query(`SELECT 1 FROM replication_link WHERE id = $1`, [id]);
  return rows.length > 0;
}

async function requestStatus(id: string): Promise<string> {
  const { rows } = await db.pool.query<{ status: string }>(`SELECT status::text AS status FROM change_request WHERE id = $1`, [id]);
  return rows[0]?.status ?? "MISSING";
}

function newInstanceId(plan: TPlan): string {
  const provision = plan.steps.find((s) => s.action === "provisionInstance");
  return String(provision?.input.instanceId);
}

function newLinkId(plan: TPlan): string {
  const create = plan.steps.find((s) => s.action === "createLink");
  return String(create?.input.linkId);
}

describe("execution engine on a real PostgreSQL", () => {
  it("runs an approved ADD_REPLICA to the end: the replica and its link exist, each change recorded once", async () => {
    const [req] = await fileAddReplicaRequests(db.pool, 1);
    const { executionId, created } = await enqueueExecution(db.pool, req!.requestId);
    expect(created).toBe(true);
    // Enqueue is idempotent while the execution is open.
    expect((await enqueueExecution(db.pool, req!.requestId)).executionId).toBe(executionId);
    worker();
    expect(await waitForStatus(db.pool, executionId, ["SUCCEEDED", "ROLLED_BACK", "FAILED"])).toBe("SUCCEEDED");
    await stopAll();

    expect(await requestStatus(req!.requestId)).toBe("SUCCEEDED");
    const view = await getExecution(db.pool, executionId);
    expect(view.steps.map((s) => s.status)).toEqual(view.steps.map(() => "SUCCEEDED"));
    expect(view.steps.every((s) => s.attempt === 1)).toBe(true);
    expect(view.leaseOwner).toBeNull();

    const instance = await db.pool.query<{ role: string; health: string; registered: boolean }>(
      `SELECT i.role::text AS role, i.health::text AS health, s.registered FROM instance i JOIN fleet_instance_state s ON s.instance_id = i.id WHERE i.id = $1`,
      [newInstanceId(req!.plan)],
    );
    expect(instance.rows[0]).toEqual({ role: "REPLICA", health: "UP", registered: true });
    const link = await db.pool.query<{ status: string; lag_seconds: number }>(
      `SELECT status::text AS status, lag_seconds FROM replication_link WHERE id = $1`,
      [newLinkId(req!.plan)],
    );
    expect(link.rows[0]).toEqual({ status: "ACTIVE", lag_seconds: 0 });

    const ledger = await listSideEffects(db.pool, executionId);
    expect(ledger.map((e) => `${e.phase}:${e.action}`)).toEqual(["run:provisionInstance", "run:createLink", "run:registerInstance"]);

    // The audit trail says what the engine did, chained by the database.
    const audit = await db.pool.query<{ action: string; actor_email: string; prev_hash: string }>(
      `SELECT action, actor_email, prev_hash FROM audit_event WHERE target_type = 'execution' AND target_id = $1 ORDER BY id`,
      [executionId],
    );
    expect(audit.rows.map((r) => r.action)).toEqual(["execution.started", "execution.succeeded"]);
    expect(audit.rows[0]!.actor_email).toMatch(/^engine:test-/);
    expect(audit.rows.every((r) => /^[0-9a-f]{64}$/.test(r.prev_hash))).toBe(true);
  });

  it("refuses to enqueue a request that is not approved", async () => {
    const [req] = await fileAddReplicaRequests(db.pool, 1);
    await db.pool.query(`UPDATE change_request SET status = 'PENDING_APPROVAL' WHERE id = $1`, [req!.requestId]);
    await expect(enqueueExecution(db.pool, req!.requestId)).rejects.toMatchObject({ code: "PRECONDITION_FAILED" });
    await expect(enqueueExecution(db.pool, "00000000-0000-4000-8000-000000000000")).rejects.toBeInstanceOf(EngineError);
  });

  it("never runs a request whose plan changed after approval, whatever enqueued it", async () => {
    const [a, b] = await fileAddReplicaRequests(db.pool, 2);
    const ea = await enqueueExecution(db.pool, a!.requestId);
    const eb = await enqueueExecution(db.pool, b!.requestId);
    // a: re-planned (new plan, new hash) but still marked APPROVED: the API should have voided the approval.
    const altered = { ...a!.plan, steps: a!.plan.steps.slice(0, 2) };
    const { planHash } = await import("../core/plan");
    await db.pool.query(`UPDATE change_request SET plan = $2, plan_hash = $3 WHERE id = $1`, [
      a!.requestId,
      JSON.stringify(altered),
      planHash(altered),
    ]);
    // b: the stored plan JSON edited in place, hash column left as approved.
    const tampered = structuredClone(b!.plan);
    tampered.steps[1]!.input.dataCenterId = "00000000-0000-4000-8000-000000000001";
    await db.pool.query(`UPDATE change_request SET plan = $2 WHERE id = $1`, [b!.requestId, JSON.stringify(tampered)]);

    worker();
    expect(await waitForStatus(db.pool, ea.executionId, ["CANCELLED", "SUCCEEDED", "FAILED", "ROLLED_BACK"])).toBe("CANCELLED");
    expect(await waitForStatus(db.pool, eb.executionId, ["CANCELLED", "SUCCEEDED", "FAILED", "ROLLED_BACK"])).toBe("CANCELLED");
    await stopAll();
    const va = await getExecution(db.pool, ea.executionId);
    const vb = await getExecution(db.pool, eb.executionId);
    expect(va.error).toMatch(/plan changed after approval/);
    const refusals = await db.pool.query(`SELECT 1 FROM audit_event WHERE action = 'execution.refused' AND target_id = ANY($1::text[])`, [
      [ea.executionId, eb.executionId],
    ]);
    expect(refusals.rows).toHaveLength(2);
    expect(vb.error).toMatch(/Refused: The plan changed after approval/);
    for (const v of [va, vb]) expect(v.steps.every((s) => s.attempt === 0)).toBe(true);
    expect(await listSideEffects(db.pool, ea.executionId)).toEqual([]);
    expect(await listSideEffects(db.pool, eb.executionId)).toEqual([]);
    expect(await instanceExists(newInstanceId(a!.plan))).toBe(false);
    expect(await instanceExists(newInstanceId(b!.plan))).toBe(false);
    // And a fresh enqueue of the altered request is refused outright.
    await expect(enqueueExecution(db.pool, b!.requestId)).rejects.toThrow(/plan changed after approval/);
  });

  it("never runs a request whose approval was voided, even if its status still says approved", async () => {
    const [req] = await fileAddReplicaRequests(db.pool, 1);
    const { executionId } = await enqueueExecution(db.pool, req!.requestId);
    await db.pool.query(`UPDATE approval SET voided = true WHERE request_id = $1`, [req!.requestId]);
    worker();
    expect(await waitForStatus(db.pool, executionId, ["CANCELLED", "SUCCEEDED", "FAILED", "ROLLED_BACK"])).toBe("CANCELLED");
    await stopAll();
    expect((await getExecution(db.pool, executionId)).error).toMatch(/no approval is recorded for this plan/);
    expect(await instanceExists(newInstanceId(req!.plan))).toBe(false);
    await expect(enqueueExecution(db.pool, req!.requestId)).rejects.toThrow(/no approval is recorded/);
  });

  it("picks up an approved request that nobody enqueued", async () => {
    const [req] = await fileAddReplicaRequests(db.pool, 1);
    worker({ enqueueApproved: true });
    const executionId = await waitFor(
      async () => (await db.pool.query<{ id: string }>(`SELECT id FROM execution WHERE request_id = $1`, [req!.requestId])).rows[0]?.id,
      10_000,
      "the worker to enqueue the approved request",
    );
    expect(await waitForStatus(db.pool, executionId, ["SUCCEEDED", "ROLLED_BACK", "FAILED"])).toBe("SUCCEEDED");
    await stopAll();
    expect(await requestStatus(req!.requestId)).toBe("SUCCEEDED");
  });

  it("retries a failing step with backoff and succeeds, applying its change once", async () => {
    const [req] = await fileAddReplicaRequests(db.pool, 1, (p) => withFastRetries(p, 3, 50));
    const { executionId } = await enqueueExecution(db.pool, req!.requestId);
    worker({ faults: [{ kind: "fail", stepIndex: 1, times: 2, executionId }] });
    expect(await waitForStatus(db.pool, executionId, ["SUCCEEDED", "ROLLED_BACK", "FAILED"])).toBe("SUCCEEDED");
    await stopAll();
    const view = await getExecution(db.pool, executionId);
    const step = view.steps[1]!;
    expect(step.attempt).toBe(3);
    expect(step.log.filter((l) => /failed: Simulated failure/.test(l))).toHaveLength(2);
    expect(step.log.some((l) => /retrying in 100 ms/.test(l))).toBe(true); // 50 ms doubled before the 3rd attempt
    const ledger = await listSideEffects(db.pool, executionId);
    expect(ledger.filter((e) => e.action === "provisionInstance")).toHaveLength(1);
    expect(await instanceExists(newInstanceId(req!.plan))).toBe(true);
  });

  it("rolls back completed steps in reverse order when a step fails for good", async () => {
    const [req] = await fileAddReplicaRequests(db.pool, 1, (p) => withFastRetries(p, 2, 10));
    const usedBefore = await db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM instance WHERE data_center_id = $1`, [req!.dataCenterId]);
    const { executionId } = await enqueueExecution(db.pool, req!.requestId);
    worker({ faults: [{ kind: "fail", stepIndex: 4, executionId, message: "registration service says no" }] });
    expect(await waitForStatus(db.pool, executionId, ["SUCCEEDED", "ROLLED_BACK", "FAILED"])).toBe("ROLLED_BACK");
    await stopAll();

    expect(await requestStatus(req!.requestId)).toBe("ROLLED_BACK");
    const view = await getExecution(db.pool, executionId);
    expect(view.steps.map((s) => s.status)).toEqual(["SUCCEEDED", "COMPENSATED", "COMPENSATED", "SUCCEEDED", "FAILED"]);
    expect(view.steps[4]!.attempt).toBe(2);
    expect(view.error).toMatch(/Step 5 .* failed: registration service says no/);
    const ledger = await listSideEffects(db.pool, executionId);
    expect(ledger.map((e) => `${e.phase}:${e.action}`)).toEqual([
      "run:provisionInstance",
      "run:createLink",
      "compensate:dropLink",
      "compensate:deprovisionInstance",
    ]);
    expect(await instanceExists(newInstanceId(req!.plan))).toBe(false);
    expect(await linkExists(newLinkId(req!.plan))).toBe(false);
    const usedAfter = await db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM instance WHERE data_center_id = $1`, [req!.dataCenterId]);
    expect(usedAfter.rows[0]!.n).toBe(usedBefore.rows[0]!.n);
  });

  it("ends FAILED with what a person must do when a compensation fails; retry then finishes the rollback", async () => {
    const [req] = await fileAddReplicaRequests(db.pool, 1, (p) => withFastRetries(p, 1, 10));
    const { executionId } = await enqueueExecution(db.pool, req!.requestId);
    worker({
      faults: [
        { kind: "fail", stepIndex: 3, executionId, message: "replica never caught up", retryable: false },
        { kind: "fail", stepIndex: 2, phase: "compensate", executionId, message: "link is wedged", retryable: false },
      ],
    });
    expect(await waitForStatus(db.pool, executionId, ["SUCCEEDED", "ROLLED_BACK", "FAILED"])).toBe("FAILED");
    await stopAll();
    expect(await requestStatus(req!.requestId)).toBe("FAILED");
    let view = await getExecution(db.pool, executionId);
    expect(view.steps.map((s) => s.status)).toEqual(["SUCCEEDED", "SUCCEEDED", "COMPENSATION_FAILED", "FAILED", "SKIPPED"]);
    expect(view.steps[2]!.error).toMatch(/Compensation failed: link is wedged\. What to do: undo .* by hand \(dropLink/);
    expect(view.error).toMatch(/Rollback stopped at step 3/);
    // Nothing before the failed compensation was undone: a person decides first.
    expect(await instanceExists(newInstanceId(req!.plan))).toBe(true);

    await expect(retryFailedStep(db.pool, executionId, { label: "dba@meridian.local" }, 0)).rejects.toMatchObject({ code: "CONFLICT" });
    const retried = await retryFailedStep(db.pool, executionId, { label: "dba@meridian.local" });
    expect(retried).toMatchObject({ from: "FAILED", to: "COMPENSATING", stepIndex: 2 });
    worker(); // the cause is fixed: no faults any more
    expect(await waitForStatus(db.pool, executionId, ["ROLLED_BACK", "FAILED"])).toBe("ROLLED_BACK");
    await stopAll();
    view = await getExecution(db.pool, executionId);
    expect(view.steps.map((s) => s.status)).toEqual(["SUCCEEDED", "COMPENSATED", "COMPENSATED", "FAILED", "SKIPPED"]);
    expect(view.steps[2]!.compensationAttempts).toBe(2);
    expect(await requestStatus(req!.requestId)).toBe("ROLLED_BACK");
    expect(await instanceExists(newInstanceId(req!.plan))).toBe(false);
  });

  it("lets a person resolve a failed compensation by hand and continues the rollback", async () => {
    const [req] = await fileAddReplicaRequests(db.pool, 1, (p) => withFastRetries(p, 1, 10));
    const { executionId } = await enqueueExecution(db.pool, req!.requestId);
    worker({
      faults: [
        { kind: "fail", stepIndex: 4, executionId, retryable: false },
        { kind: "fail", stepIndex: 2, phase: "compensate", executionId, retryable: false },
      ],
    });
    expect(await waitForStatus(db.pool, executionId, ["ROLLED_BACK", "FAILED"])).toBe("FAILED");
    // The person drops the link by hand, then says so.
    await db.pool.query(`DELETE FROM replication_link WHERE id = $1`, [newLinkId(req!.plan)]);
    await expect(resolveStepManually(db.pool, executionId, 1, { label: "dba" }, "x")).rejects.toMatchObject({ code: "CONFLICT" });
    await resolveStepManually(db.pool, executionId, 2, { label: "dba@meridian.local" }, "dropped the link by hand");
    expect(await waitForStatus(db.pool, executionId, ["ROLLED_BACK", "FAILED"])).toBe("ROLLED_BACK");
    await stopAll();
    const view = await getExecution(db.pool, executionId);
    expect(view.steps[2]!.log.at(-1)).toMatch(/undone by hand by dba@meridian.local: dropped the link by hand/);
    expect(await instanceExists(newInstanceId(req!.plan))).toBe(false);
  });

  it("a step that fails while paused waits for a person, who retries it instead of rolling back", async () => {
    const [req] = await fileAddReplicaRequests(db.pool, 1);
    const { executionId } = await enqueueExecution(db.pool, req!.requestId);
    const events: TEngineEvent[] = [];
    worker({
      events,
      faults: [
        { kind: "slow", stepIndex: 1, executionId, ms: 400 },
        { kind: "fail", stepIndex: 1, executionId, retryable: false, message: "cloud API quota exceeded" },
      ],
    });
    await waitFor(async () => events.some((e) => e.type === "step" && e.point === "attempt-started" && e.index === 1), 10_000, "step 2 to start");
    await pauseExecution(db.pool, executionId, { label: "dba@meridian.local" });
    await waitFor(async () => (await getExecution(db.pool, executionId)).steps[1]!.status === "FAILED", 5_000, "the step to fail");
    await waitFor(async () => (await getExecution(db.pool, executionId)).leaseOwner === null, 5_000, "the lease to be released");
    await stopAll();
    let view = await getExecution(db.pool, executionId);
    expect(view.status).toBe("PAUSED"); // no rollback while paused: a person decides
    expect(view.steps[1]!.error).toBe("cloud API quota exceeded");

    expect(await retryFailedStep(db.pool, executionId, { label: "dba@meridian.local" })).toMatchObject({ from: "PAUSED", to: "RUNNING", stepIndex: 1 });
    worker(); // quota raised: no fault any more
    expect(await waitForStatus(db.pool, executionId, ["SUCCEEDED", "ROLLED_BACK", "FAILED"])).toBe("SUCCEEDED");
    await stopAll();
    view = await getExecution(db.pool, executionId);
    expect(view.steps[1]!.attempt).toBe(1); // the count started over
    expect(view.steps[1]!.log.join("\n")).toMatch(/retry requested by dba@meridian.local/);
  });

  it("times out a hanging step, retries it, then rolls back", async () => {
    const [req] = await fileAddReplicaRequests(db.pool, 1, (p) => withFastRetries(p, 2, 10, 300));
    const { executionId } = await enqueueExecution(db.pool, req!.requestId);
    const started = Date.now();
    worker({ faults: [{ kind: "hang", stepIndex: 2, executionId }] });
    expect(await waitForStatus(db.pool, executionId, ["SUCCEEDED", "ROLLED_BACK", "FAILED"])).toBe("ROLLED_BACK");
    await stopAll();
    expect(Date.now() - started).toBeGreaterThanOrEqual(600);
    const view = await getExecution(db.pool, executionId);
    expect(view.steps[2]!.status).toBe("FAILED");
    expect(view.steps[2]!.attempt).toBe(2);
    expect(view.steps[2]!.error).toMatch(/Timed out after 300 ms/);
    expect(view.steps[1]!.status).toBe("COMPENSATED");
    expect(await linkExists(newLinkId(req!.plan))).toBe(false);
  });

  it("pauses between steps and resumes where it stopped", async () => {
    const [req] = await fileAddReplicaRequests(db.pool, 1);
    const { executionId } = await enqueueExecution(db.pool, req!.requestId);
    const events: TEngineEvent[] = [];
    worker({ scale: 1, durationsMs: { ...ZERO_DURATIONS, provisionInstance: 400, createLink: 100, waitForCatchUp: 100, registerInstance: 100 }, events });
    await waitFor(async () => events.some((e) => e.type === "step" && e.point === "attempt-started" && e.index === 1), 10_000, "step 2 to start");
    const paused = await pauseExecution(db.pool, executionId, { label: "dba@meridian.local" });
    expect(paused).toMatchObject({ from: "RUNNING", to: "PAUSED" });
    await expect(pauseExecution(db.pool, executionId, { label: "dba" })).rejects.toMatchObject({ code: "CONFLICT" });
    // The running step finishes; no further step starts; the lease is let go.
    await waitFor(async () => (await getExecution(db.pool, executionId)).leaseOwner === null, 5_000, "the lease to be released");
    let view = await getExecution(db.pool, executionId);
    expect(view.status).toBe("PAUSED");
    expect(view.steps.map((s) => s.status)).toEqual(["SUCCEEDED", "SUCCEEDED", "PENDING", "PENDING", "PENDING"]);
    await new Promise((r) => setTimeout(r, 500));
    expect((await getExecution(db.pool, executionId)).steps[2]!.status).toBe("PENDING");

    expect(await resumeExecution(db.pool, executionId, { label: "dba@meridian.local" })).toMatchObject({ to: "RUNNING" });
    expect(await waitForStatus(db.pool, executionId, ["SUCCEEDED", "ROLLED_BACK", "FAILED"])).toBe("SUCCEEDED");
    await stopAll();
    view = await getExecution(db.pool, executionId);
    expect(view.steps.every((s) => s.status === "SUCCEEDED" && s.attempt === 1)).toBe(true);
    expect(view.steps[1]!.log.join("\n")).toMatch(/paused by dba@meridian.local/);
    // The execution view's step times are the steps' own: provisioning took its 400 ms, and each
    // step starts no earlier than the one before it finished.
    const ms = (s: (typeof view.steps)[number]) => s.finishedAt!.getTime() - s.startedAt!.getTime();
    expect(ms(view.steps[1]!)).toBeGreaterThanOrEqual(390);
    expect(ms(view.steps[2]!)).toBeGreaterThanOrEqual(90);
    for (let i = 1; i < view.steps.length; i++)
      expect(view.steps[i]!.startedAt!.getTime()).toBeGreaterThanOrEqual(view.steps[i - 1]!.finishedAt!.getTime());
  });

  it("cancels: a queued execution is cancelled outright, a running one is rolled back", async () => {
    const [queued, running] = await fileAddReplicaRequests(db.pool, 2);
    const q = await enqueueExecution(db.pool, queued!.requestId);
    expect(await cancelExecution(db.pool, q.executionId, { label: "dba" }, "not today")).toMatchObject({ from: "QUEUED", to: "CANCELLED" });
    expect(await requestStatus(queued!.requestId)).toBe("CANCELLED");

    const r = await enqueueExecution(db.pool, running!.requestId);
    const events: TEngineEvent[] = [];
    worker({ scale: 1, durationsMs: { ...ZERO_DURATIONS, waitForCatchUp: 3_000 }, events });
    await waitFor(async () => events.some((e) => e.type === "step" && e.point === "attempt-started" && e.index === 3), 10_000, "the catch-up wait");
    expect(await cancelExecution(db.pool, r.executionId, { label: "dba@meridian.local" }, "wrong data center")).toMatchObject({
      from: "RUNNING",
      to: "COMPENSATING",
    });
    const started = Date.now();
    expect(await waitForStatus(db.pool, r.executionId, ["SUCCEEDED", "ROLLED_BACK", "FAILED"])).toBe("ROLLED_BACK");
    expect(Date.now() - started).toBeLessThan(2_500); // the 3 s wait was interrupted
    await stopAll();
    const view = await getExecution(db.pool, r.executionId);
    expect(view.error).toBe("Cancelled by dba@meridian.local: wrong data center");
    expect(view.steps.map((s) => s.status)).toEqual(["SUCCEEDED", "COMPENSATED", "COMPENSATED", "SKIPPED", "SKIPPED"]);
    expect(await requestStatus(running!.requestId)).toBe("ROLLED_BACK");
    expect(await instanceExists(newInstanceId(running!.plan))).toBe(false);
    await expect(cancelExecution(db.pool, r.executionId, { label: "dba" })).rejects.toMatchObject({ code: "CONFLICT" });
  });

  it("waits for a scheduled request's window to open", async () => {
    const [req] = await fileAddReplicaRequests(db.pool, 1);
    await db.pool.query(`UPDATE change_request SET status = 'SCHEDULED', window_start = now() + interval '1 hour', window_end = now() + interval '2 hours' WHERE id = $1`, [
      req!.requestId,
    ]);
    const { executionId } = await enqueueExecution(db.pool, req!.requestId);
    worker();
    await new Promise((r) => setTimeout(r, 600));
    expect((await getExecution(db.pool, executionId)).status).toBe("QUEUED");
    await db.pool.query(`UPDATE change_request SET window_start = now() - interval '1 second' WHERE id = $1`, [req!.requestId]);
    expect(await waitForStatus(db.pool, executionId, ["SUCCEEDED", "ROLLED_BACK", "FAILED"])).toBe("SUCCEEDED");
    await stopAll();
  });

  it("a queue whose oldest executions all wait for their window still hands out the runnable one behind them", async () => {
    // More waiting executions than the claim's first look (its head of 64), all older than the runnable one.
    const [model] = await fileAddReplicaRequests(db.pool, 1);
    const waiting: string[] = [];
    for (let i = 0; i < 70; i++) {
      const requestId = await insertRequest(db.pool, {
        kind: "ADD_REPLICA",
        params: model!.plan,
        plan: model!.plan,
        clusterId: model!.clusterId,
        status: "SCHEDULED",
        windowStart: new Date(Date.now() + 3_600_000),
        windowEnd: new Date(Date.now() + 7_200_000),
      });
      waiting.push((await enqueueExecution(db.pool, requestId)).executionId);
    }
    const runnable = await enqueueExecution(db.pool, model!.requestId);
    const claim = await claimNextExecution(db.pool, { workerId: "head-test", leaseMs: 60_000 });
    expect(claim?.executionId).toBe(runnable.executionId);
    expect(await claimNextExecution(db.pool, { workerId: "head-test", leaseMs: 60_000 })).toBeNull();
    await db.pool.query(`UPDATE execution SET lease_owner = NULL, lease_expires_at = NULL WHERE id = $1`, [runnable.executionId]);
    for (const id of [...waiting, runnable.executionId]) await cancelExecution(db.pool, id, { label: "test" });
  });

  it("two workers on one queue never run the same execution; every step runs once", async () => {
    const reqs = await fileAddReplicaRequests(db.pool, 24);
    const ids = [];
    for (const r of reqs) ids.push((await enqueueExecution(db.pool, r.requestId)).executionId);
    const events: TEngineEvent[] = [];
    worker({ id: "w-a", concurrency: 3, events });
    worker({ id: "w-b", concurrency: 3, events });
    for (const id of ids) expect(await waitForStatus(db.pool, id, ["SUCCEEDED", "ROLLED_BACK", "FAILED"])).toBe("SUCCEEDED");
    await stopAll();
    const claims = events.filter((e): e is Extract<TEngineEvent, { type: "claimed" }> => e.type === "claimed");
    const byExecution = new Map<string, string[]>();
    for (const c of claims) byExecution.set(c.executionId, [...(byExecution.get(c.executionId) ?? []), c.workerId]);
    for (const id of ids) expect(byExecution.get(id)).toHaveLength(1);
    expect(new Set(claims.map((c) => c.workerId))).toEqual(new Set(["w-a", "w-b"]));
    for (const id of ids) {
      const view = await getExecution(db.pool, id);
      expect(view.steps.every((s) => s.attempt === 1)).toBe(true);
      expect(await listSideEffects(db.pool, id)).toHaveLength(3);
    }
  });

  it("hands each execution to exactly one of many concurrent claimers", async () => {
    const reqs = await fileAddReplicaRequests(db.pool, 20);
    const ids = new Set<string>();
    for (const r of reqs) ids.add((await enqueueExecution(db.pool, r.requestId)).executionId);
    const claimer = async (workerId: string) => {
      const got: string[] = [];
      for (;;) {
        const claim = await claimNextExecution(db.pool, { workerId, leaseMs: 60_000 });
        if (!claim) return got;
        got.push(claim.executionId);
      }
    };
    const results = await Promise.all(["c1", "c2", "c3", "c4"].map(claimer));
    const all = results.flat();
    expect(all.length).toBe(ids.size);
    expect(new Set(all)).toEqual(ids);
    // Leave them to nobody: cancel them (they are QUEUED with a long lease).
    await db.pool.query(`UPDATE execution SET lease_owner = NULL, lease_expires_at = NULL WHERE id = ANY($1::uuid[])`, [[...ids]]);
    for (const id of ids) await cancelExecution(db.pool, id, { label: "test" });
  });

  it("refuses every write made with a stale fencing token, with its side effects", async () => {
    const [req] = await fileAddReplicaRequests(db.pool, 1);
    const { executionId } = await enqueueExecution(db.pool, req!.requestId);
    const first = await claimNextExecution(db.pool, { workerId: "old", leaseMs: 60_000 });
    expect(first?.executionId).toBe(executionId);
    expect(await claimNextExecution(db.pool, { workerId: "new", leaseMs: 60_000 })).toBeNull(); // leased
    // The old worker stalls past its lease; a new worker takes over.
    await db.pool.query(`UPDATE execution SET lease_expires_at = now() - interval '1 second' WHERE id = $1`, [executionId]);
    const second = await claimNextExecution(db.pool, { workerId: "new", leaseMs: 60_000 });
    expect(second?.executionId).toBe(executionId);
    expect(BigInt(second!.fencingToken)).toBe(BigInt(first!.fencingToken) + 1n);

    const stale = { executionId, fencingToken: first!.fencingToken };
    await expect(heartbeat(db.pool, stale, 10_000)).rejects.toBeInstanceOf(LeaseLostError);
    await expect(beginAttempt(db.pool, stale, 1, "run", "x")).rejects.toBeInstanceOf(LeaseLostError);
    // The old worker had applied a change in its step transaction: the fenced commit refuses it all.
    const client = await db.pool.connect();
    try {
      await client.query("BEGIN");
      await client.query(`UPDATE data_center SET status = 'MAINTENANCE' WHERE id = $1`, [req!.dataCenterId]);
      await expect(commitAttempt(client, stale, 1, "run", { result: "x" }, [])).rejects.toBeInstanceOf(LeaseLostError);
      await client.query("ROLLBACK");
    } finally {
      client.release();
    }
    const dc = await db.pool.query<{ status: string }>(`SELECT status::text AS status FROM data_center WHERE id = $1`, [req!.dataCenterId]);
    expect(dc.rows[0]!.status).toBe("ACTIVE");
    const view = await getExecution(db.pool, executionId);
    expect(view.steps[1]!.status).toBe("PENDING");
    expect(view.leaseOwner).toBe("new");

    // The new worker's writes go through.
    const fresh = { executionId, fencingToken: second!.fencingToken };
    expect(await heartbeat(db.pool, fresh, 10_000)).toBe("QUEUED");
    await db.pool.query(`UPDATE execution SET lease_owner = NULL, lease_expires_at = NULL WHERE id = $1`, [executionId]);
    await cancelExecution(db.pool, executionId, { label: "test" });
  });

  it("a worker whose lease is taken over stops at once and its running step leaves nothing behind", async () => {
    const [req] = await fileAddReplicaRequests(db.pool, 1);
    const { executionId } = await enqueueExecution(db.pool, req!.requestId);
    const events: TEngineEvent[] = [];
    worker({ id: "slow", faults: [{ kind: "hang", stepIndex: 1, executionId }], events, leaseMs: 600 });
    await waitFor(async () => events.some((e) => e.type === "step" && e.point === "attempt-started" && e.index === 1), 10_000, "step 2 to start");
    // Another claimer steals the execution (as if the lease had expired).
    await db.pool.query(
      `UPDATE execution SET fencing_token = fencing_token + 1, lease_owner = 'thief', lease_expires_at = now() + interval '1 minute' WHERE id = $1`,
      [executionId],
    );
    await waitFor(async () => events.some((e) => e.type === "lease-lost"), 5_000, "the worker to notice");
    const view = await getExecution(db.pool, executionId);
    expect(view.leaseOwner).toBe("thief");
    expect(view.steps[1]!.status).toBe("RUNNING"); // as the stale worker left it; the thief resumes it
    expect(await instanceExists(newInstanceId(req!.plan))).toBe(false);
    await stopAll();
    await db.pool.query(`UPDATE execution SET lease_owner = NULL, lease_expires_at = NULL WHERE id = $1`, [executionId]);
    worker();
    expect(await waitForStatus(db.pool, executionId, ["SUCCEEDED", "ROLLED_BACK", "FAILED"])).toBe("SUCCEEDED");
    await stopAll();
    expect((await getExecution(db.pool, executionId)).steps[1]!.attempt).toBe(2);
  });
});
