import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { testServerUrl } from "@meridian/db/testing";
import { createSimulatedDriver, SIMULATED_DURATIONS_MS, type TFaultInput } from "@meridian/fleet";
import { type TPlan } from "../core/plan";
import { enqueueExecution, getExecution } from "./execution-store";
import { type TEngineEvent } from "./executor";
import { createSeededDatabase, fileAddReplicaRequests, waitFor, waitForStatus, withFastRetries, type TTrialDatabase } from "./testing/fixtures";
import { startWorker, type TWorker } from "./worker";

/**
 * The engine's debts from issue 11: status changes announced like people's (audit + webhook),
 * durable retry backoff, per-data-center freezes at claim time and before each step, and a
 * stopped worker process handing its lease back.
 */

const WORKER_MAIN = path.join(path.dirname(fileURLToPath(import.meta.url)), "worker-main.ts");
const PACKAGE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

let db: TTrialDatabase;
const workers: TWorker[] = [];

beforeAll(async () => {
  db = await createSeededDatabase(testServerUrl(), { instances: 80 });
});

afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.stop()));
});

afterAll(async () => {
  await db?.drop();
});

function worker(
  options: { faults?: TFaultInput[]; stepMs?: number; events?: TEngineEvent[]; id?: string; stopTimeoutMs?: number } = {},
): TWorker {
  const w = startWorker({
    databaseUrl: db.url,
    workerId: options.id ?? `debts-${workers.length}`,
    concurrency: 2,
    leaseMs: 2_000,
    pollMs: 100,
    driver: createSimulatedDriver({
      durationScale: 1,
      durationsMs: Object.fromEntries(Object.keys(SIMULATED_DURATIONS_MS).map((k) => [k, options.stepMs ?? 0])),
      faults: options.faults ?? [],
    }),
    onEvent: (e) => options.events?.push(e),
    stopTimeoutMs: options.stopTimeoutMs ?? 3_000,
    enqueueApproved: false,
  });
  workers.push(w);
  return w;
}

async function stop(w: TWorker): Promise<void> {
  workers.splice(workers.indexOf(w), 1);
  await w.stop();
}

async function requestNumber(requestId: string): Promise<number> {
  const { rows } = await db.pool.query<{ number: number }>(`SELECT number FROM change_request WHERE id = $1`, [requestId]);
  return rows[0]!.number;
}

async function addFreeze(dataCenterId: string | null, reason: string, minutes = 30): Promise<string> {
  const { rows } = await db.pool.query<{ id: string }>(
    `INSERT INTO maintenance_window (id, data_center_id, kind, reason, starts_at, ends_at)
     VALUES (gen_random_uuid(), $1, 'FREEZE', $2, now() - interval '1 minute', now() + $3 * interval '1 minute') RETURNING id`,
    [dataCenterId, reason, minutes],
  );
  return rows[0]!.id;
}

async function dataCenterCode(id: string): Promise<string> {
  const { rows } = await db.pool.query<{ code: string }>(`SELECT code FROM data_center WHERE id = $1`, [id]);
  return rows[0]!.code;
}

describe("engine debts (issue 11)", () => {
  it("announces the status changes it makes like people's: change request audit events and webhooks", async () => {
    const [ok, bad] = await fileAddReplicaRequests(db.pool, 2, (p) => withFastRetries(p, 1, 10));
    const okExec = await enqueueExecution(db.pool, ok!.requestId);
    const badExec = await enqueueExecution(db.pool, bad!.requestId);
    worker({ faults: [{ kind: "fail", executionId: badExec.executionId, stepIndex: 2, retryable: false, message: "disk full on the target" }] });
    await waitForStatus(db.pool, okExec.executionId, ["SUCCEEDED"]);
    await waitForStatus(db.pool, badExec.executionId, ["ROLLED_BACK"]);

    for (const [req, exec, finalStatus, finalAction] of [
      [ok!, okExec, "SUCCEEDED", "changeRequest.succeeded"],
      [bad!, badExec, "ROLLED_BACK", "changeRequest.rolledBack"],
    ] as const) {
      const number = await requestNumber(req.requestId);
      const audit = await db.pool.query<{ action: string; actor_email: string; before: unknown; after: Record<string, unknown>; hash: string }>(
        `SELECT action, actor_email, before, after, hash FROM audit_event WHERE target_type = 'changeRequest' AND target_id = $1 ORDER BY id`,
        [req.requestId],
      );
      expect(audit.rows.map((r) => r.action)).toEqual(["changeRequest.started", finalAction]);
      expect(audit.rows[0]).toMatchObject({ before: { status: "APPROVED" }, after: { number, from: "APPROVED", to: "RUNNING" } });
      expect(audit.rows[1]).toMatchObject({ before: { status: "RUNNING" }, after: { number, from: "RUNNING", to: finalStatus, executionId: exec.executionId } });
      expect(audit.rows[0]!.actor_email).toMatch(/^engine:debts-/);
      expect(audit.rows.every((r) => /^[0-9a-f]{64}$/.test(r.hash))).toBe(true); // chained by the trigger

      const hooks = await db.pool.query<{ event: string; payload: { event: string; text: string; occurredAt: string; data: { changeRequest: Record<string, unknown> } } }>(
        `SELECT event, payload FROM webhook_outbox WHERE payload->'data'->'changeRequest'->>'id' = $1 ORDER BY created_at, event`,
        [req.requestId],
      );
      const finalEvent = `change_request.${finalStatus.toLowerCase()}`;
      expect(hooks.rows.map((h) => h.event).sort()).toEqual([finalEvent, "change_request.running"].sort());
      const done = hooks.rows.find((h) => h.event === finalEvent)!;
      expect(done.payload.event).toBe(finalEvent);
      expect(done.payload.text).toContain(`CR-${number} `);
      expect(done.payload.text).toContain(`/changes/${number}`);
      expect(done.payload.data.changeRequest).toMatchObject({ id: req.requestId, number, from: "RUNNING", status: finalStatus, kind: "ADD_REPLICA" });
      expect(Number.isNaN(Date.parse(done.payload.occurredAt))).toBe(false);
      if (finalStatus === "ROLLED_BACK") expect(done.payload.text).toContain("disk full on the target");
    }
  });

  it("keeps a retry's backoff across a worker restart: the retry never runs before the backoff is over", async () => {
    const [req] = await fileAddReplicaRequests(db.pool, 1, (p: TPlan) => withFastRetries(p, 3, 3_000));
    const { executionId } = await enqueueExecution(db.pool, req!.requestId);
    const firstEvents: TEngineEvent[] = [];
    // A short grace period: stopping abandons whatever the worker is doing at once.
    const first = worker({ faults: [{ kind: "fail", executionId, stepIndex: 0, times: 1 }], events: firstEvents, id: "debts-backoff-1", stopTimeoutMs: 100 });
    const failedAt = await waitFor(async () => firstEvents.some((e) => e.type === "step" && e.point === "attempt-failed") && Date.now(), 20_000, "attempt 1 to fail");
    await stop(first);
    await new Promise((r) => setTimeout(r, Math.max(0, failedAt + 1_000 - Date.now())));

    const secondEvents: TEngineEvent[] = [];
    worker({ events: secondEvents, id: "debts-backoff-2" });
    const retriedAt = await waitFor(
      async () => secondEvents.some((e) => e.type === "step" && e.point === "attempt-started" && e.index === 0 && e.attempt === 2) && Date.now(),
      20_000,
      "attempt 2 to start",
      10,
    );
    expect(retriedAt - failedAt).toBeGreaterThanOrEqual(2_950);
    expect(retriedAt - failedAt).toBeLessThan(4_500); // and not lost either: it runs once the wait is over
    await waitForStatus(db.pool, executionId, ["SUCCEEDED"]);
  });

  it("does not claim work whose plan touches a frozen data center; other freezes do not hold it", async () => {
    const [req] = await fileAddReplicaRequests(db.pool, 1);
    const { executionId } = await enqueueExecution(db.pool, req!.requestId);
    const { rows: others } = await db.pool.query<{ id: string }>(
      `SELECT d.id FROM data_center d, execution e WHERE e.id = $1 AND NOT d.id = ANY(e.data_center_ids) LIMIT 1`,
      [executionId],
    );
    const elsewhere = await addFreeze(others[0]!.id, "network work elsewhere");
    const freeze = await addFreeze(req!.dataCenterId, "year-end freeze");
    const events: TEngineEvent[] = [];
    worker({ events });
    await new Promise((r) => setTimeout(r, 1_200));
    const held = await getExecution(db.pool, executionId);
    expect(held.status).toBe("QUEUED");
    expect(events.filter((e) => e.type === "claimed" && e.executionId === executionId)).toHaveLength(0);
    expect(held.waitingFor).toContain(`"year-end freeze" in ${await dataCenterCode(req!.dataCenterId)}`);

    await db.pool.query(`UPDATE maintenance_window SET ends_at = now() WHERE id = $1`, [freeze]);
    await waitForStatus(db.pool, executionId, ["SUCCEEDED"]);
    expect((await getExecution(db.pool, executionId)).waitingFor).toBeNull();
    await db.pool.query(`DELETE FROM maintenance_window WHERE id = $1`, [elsewhere]);
  });

  it("checks the live maintenance window of a scheduled request at claim time: a window moved later holds it back", async () => {
    const [req] = await fileAddReplicaRequests(db.pool, 1, (p) => p, "SCHEDULED");
    // Scheduled into a window of its data center that is open now (the request keeps a copy of the bounds)...
    const { rows } = await db.pool.query<{ id: string }>(
      `INSERT INTO maintenance_window (id, data_center_id, kind, reason, starts_at, ends_at)
       VALUES (gen_random_uuid(), $1, 'WINDOW', 'night work', now() - interval '5 minutes', now() + interval '1 hour') RETURNING id`,
      [req!.dataCenterId],
    );
    const windowId = rows[0]!.id;
    await db.pool.query(
      `UPDATE change_request r SET maintenance_window_id = $2, window_start = w.starts_at, window_end = w.ends_at
         FROM maintenance_window w WHERE r.id = $1 AND w.id = $2`,
      [req!.requestId, windowId],
    );
    // ...then the data center's window is moved to tonight: the copy says "open", the window does not.
    await db.pool.query(`UPDATE maintenance_window SET starts_at = now() + interval '6 hours', ends_at = now() + interval '8 hours' WHERE id = $1`, [windowId]);
    const { executionId } = await enqueueExecution(db.pool, req!.requestId);
    worker();
    await new Promise((r) => setTimeout(r, 1_200));
    expect((await getExecution(db.pool, executionId)).status).toBe("QUEUED");

    await db.pool.query(`UPDATE maintenance_window SET starts_at = now() - interval '1 minute' WHERE id = $1`, [windowId]);
    await waitForStatus(db.pool, executionId, ["SUCCEEDED"]);
  });

  it("pauses a running plan before its next step when a freeze of one of its data centers begins, and says why", async () => {
    const [req] = await fileAddReplicaRequests(db.pool, 1);
    const { executionId } = await enqueueExecution(db.pool, req!.requestId);
    worker({ stepMs: 600 });
    await waitFor(async () => (await getExecution(db.pool, executionId)).steps[0]?.status === "RUNNING", 20_000, "step 1 to run");
    const freeze = await addFreeze(req!.dataCenterId, "incident 4711");

    const paused = await waitFor(
      async () => {
        const v = await getExecution(db.pool, executionId);
        return v.leaseOwner === null && v.steps[0]?.status === "SUCCEEDED" ? v : null;
      },
      10_000,
      "the execution to pause after step 1",
    );
    expect(paused.status).toBe("RUNNING");
    expect(paused.steps[1]?.status).toBe("PENDING");
    expect(paused.steps[1]?.attempt).toBe(0);
    expect(paused.waitingFor).toMatch(/^Paused before step 2 by the change freeze "incident 4711" in /);
    expect(paused.steps[1]?.log.join("\n")).toContain("paused before this step: the change freeze \"incident 4711\"");
    await new Promise((r) => setTimeout(r, 800));
    expect((await getExecution(db.pool, executionId)).steps[1]?.attempt).toBe(0); // still held

    await db.pool.query(`DELETE FROM maintenance_window WHERE id = $1`, [freeze]);
    await waitForStatus(db.pool, executionId, ["SUCCEEDED"]);
  });

  it("SIGTERM to a worker process: the running step finishes, the lease is handed back, another worker continues at once", async () => {
    const [req] = await fileAddReplicaRequests(db.pool, 1);
    const { executionId } = await enqueueExecution(db.pool, req!.requestId);
    const leaseMs = 15_000;
    const child = spawn(
      process.execPath,
      ["--import", "tsx", WORKER_MAIN, "--database-url", db.url, "--worker-id", "debts-sigterm", "--concurrency", "1", "--lease-ms", String(leaseMs),
        "--poll-ms", "100", "--step-ms", "1500", "--no-enqueue-approved", "--quiet"],
      { cwd: PACKAGE_DIR, stdio: ["ignore", "pipe", "pipe"] },
    );
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    try {
      await waitFor(async () => (await getExecution(db.pool, executionId)).steps[0]?.status === "RUNNING", 30_000, "step 1 to run in the worker process");
      child.kill("SIGTERM");
      expect(await exited).toBe(0);
    } finally {
      child.kill("SIGKILL");
    }
    const after = await getExecution(db.pool, executionId);
    expect(after.leaseOwner).toBeNull();
    expect(after.leaseExpiresAt).toBeNull();
    expect(after.steps[0]?.status).toBe("SUCCEEDED"); // it finished its step rather than abandon it
    expect(after.steps[1]?.status).toBe("PENDING");

    const events: TEngineEvent[] = [];
    const startedAt = Date.now();
    worker({ events });
    await waitFor(async () => events.some((e) => e.type === "claimed" && e.executionId === executionId), 5_000, "another worker to claim");
    expect(Date.now() - startedAt).toBeLessThan(2_000); // not after the 15 s lease expiry
    await waitForStatus(db.pool, executionId, ["SUCCEEDED"]);
  });
});
