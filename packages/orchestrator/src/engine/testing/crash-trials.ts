/**
 * Crash trials: a real worker process (worker-main.ts under tsx) runs a real ADD_REPLICA plan on
 * the simulated fleet and is killed with SIGKILL at a step boundary, just before a commit, in
 * the middle of a step, or has its database connections terminated; another worker takes over
 * once the lease expires. Then the invariants are checked against the database:
 * - the execution ended SUCCEEDED, ROLLED_BACK, or FAILED with a reason (and the request agrees);
 * - no step lost: a SUCCEEDED execution has every step SUCCEEDED, no step is left RUNNING/PENDING;
 * - no side effect twice, none missing: the ledger holds exactly one "run" row for each
 *   completed step that changes something, one "compensate" row for each compensated one,
 *   and nothing else; no such step reports "already done" (which would mean it ran before);
 * - the fleet is in the state the outcome says (replica and link there, or both gone);
 * - the takeover happened within 60 s of the lease's expiry.
 * Used by crash-recovery.test.ts (CI) and soak.ts (on demand).
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createSimulatedDriver, listSideEffects, type TFaultInput } from "@meridian/fleet";
import { type TPlan } from "../../core/plan";
import { enqueueExecution, getExecution, type TQueryable } from "../execution-store";
import { type TEngineEvent } from "../executor";
import { startWorker } from "../worker";
import { fileAddReplicaRequests, waitFor, withFastRetries, type TTrialDatabase } from "./fixtures";

const ENGINE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const PACKAGE_DIR = path.resolve(ENGINE_DIR, "../..");
const WORKER_MAIN = path.join(ENGINE_DIR, "worker-main.ts");

export type TCrashPoint = "attempt-started" | "before-commit" | "committed";

export type TCrash =
  /** The worker SIGKILLs itself exactly at an engine point (a boundary, or changes applied but not committed). */
  | { kind: "self-kill"; point: TCrashPoint; index: number; phase: "run" | "compensate" }
  /** The harness SIGKILLs the worker while a step is running (inside the step's transaction). */
  | { kind: "kill-mid-step"; index: number; phase: "run" | "compensate" }
  /** The harness terminates the worker's database connections mid-step; the process lives on. */
  | { kind: "terminate-backend"; index: number; phase: "run" | "compensate" };

export interface TTrialSpec {
  name: string;
  crashes: TCrash[];
  /** Make the execution roll back: the last step fails for good. */
  rollback?: boolean;
}

export interface TTrialResult {
  name: string;
  executionId: string;
  status: string;
  error: string | null;
  /** ms from the dead worker's lease expiry to the takeover (null when no takeover was needed). */
  recoveryMs: number | null;
  durationMs: number;
  problems: string[];
}

/** Trials run in CI: every boundary of a 5-step plan, before-commit, mid-step, connection loss, during rollback. */
export const CI_TRIALS: TTrialSpec[] = [
  { name: "kill -9 after step 1 commits", crashes: [{ kind: "self-kill", point: "committed", index: 0, phase: "run" }] },
  { name: "kill -9 after step 2 commits", crashes: [{ kind: "self-kill", point: "committed", index: 1, phase: "run" }] },
  { name: "kill -9 after step 3 commits", crashes: [{ kind: "self-kill", point: "committed", index: 2, phase: "run" }] },
  { name: "kill -9 after step 4 commits", crashes: [{ kind: "self-kill", point: "committed", index: 3, phase: "run" }] },
  { name: "kill -9 with step 2 applied, not committed", crashes: [{ kind: "self-kill", point: "before-commit", index: 1, phase: "run" }] },
  { name: "kill -9 with the last step applied, not committed", crashes: [{ kind: "self-kill", point: "before-commit", index: 4, phase: "run" }] },
  { name: "kill -9 in the middle of step 3", crashes: [{ kind: "kill-mid-step", index: 2, phase: "run" }] },
  { name: "connections terminated in the middle of step 2", crashes: [{ kind: "terminate-backend", index: 1, phase: "run" }] },
  {
    name: "kill -9 during the rollback, after a compensation commits",
    rollback: true,
    crashes: [{ kind: "self-kill", point: "committed", index: 2, phase: "compensate" }],
  },
  {
    name: "kill -9 in the middle of a compensation",
    rollback: true,
    crashes: [{ kind: "kill-mid-step", index: 1, phase: "compensate" }],
  },
  {
    name: "two workers killed in a row",
    crashes: [
      { kind: "self-kill", point: "before-commit", index: 1, phase: "run" },
      { kind: "self-kill", point: "committed", index: 3, phase: "run" },
    ],
  },
];

const POINTS: TCrashPoint[] = ["attempt-started", "before-commit", "committed"];

/** A random trial for the soak: random crash kinds at random steps and phases, sometimes two crashes. */
export function randomTrial(rng: () => number, n: number): TTrialSpec {
  const rollback = rng() < 0.35;
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)] as T;
  const crashOne = (): TCrash => {
    const phase: "run" | "compensate" = rollback && rng() < 0.5 ? "compensate" : "run";
    const index = phase === "compensate" ? pick([1, 2]) : pick([0, 1, 2, 3, 4]);
    const r = rng();
    // In a rollback trial step 5 always fails: it starts, but never reaches its commit.
    const reachable = rollback && phase === "run" && index === 4 ? (["attempt-started"] as const) : POINTS;
    if (r < 0.6) return { kind: "self-kill", point: pick(reachable), index, phase };
    if (r < 0.85) return { kind: "kill-mid-step", index, phase };
    return { kind: "terminate-backend", index, phase };
  };
  const crashes = [crashOne()];
  if (rng() < 0.25) {
    const first = crashes[0] as TCrash;
    const second = crashOne();
    if (second.kind !== "terminate-backend" && first.kind !== "terminate-backend" && comesAfter(second, first)) crashes.push(second);
  }
  return { name: `soak #${n}: ${crashes.map(describeCrash).join(", then ")}${rollback ? " (rolling back)" : ""}`, crashes, rollback };
}

/** `b` is reached after `a` in a run (forward steps go up, compensations go down). */
function comesAfter(b: TCrash, a: TCrash): boolean {
  if (a.phase === "run" && b.phase === "compensate") return true;
  if (a.phase === "compensate" && b.phase === "run") return false;
  return a.phase === "run" ? b.index > a.index : b.index < a.index;
}

export function describeCrash(c: TCrash): string {
  const where = `${c.phase === "run" ? "step" : "compensation of step"} ${c.index + 1}`;
  if (c.kind === "self-kill") return `kill -9 at ${c.point} of ${where}`;
  if (c.kind === "kill-mid-step") return `kill -9 mid-${where}`;
  return `connections terminated mid-${where}`;
}

interface TChild {
  process: ChildProcess;
  exited: Promise<number | null>;
  output: string[];
}

function spawnWorker(args: string[]): TChild {
  const child = spawn(process.execPath, ["--import", "tsx", WORKER_MAIN, ...args], {
    cwd: PACKAGE_DIR,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    for (const line of chunk.toString().split("\n")) if (line.trim()) output.push(line);
    if (output.length > 200) output.splice(0, output.length - 200);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code, signal) => resolve(signal ? -1 : code)));
  return { process: child, exited, output };
}

async function stepStatus(db: TQueryable, executionId: string, index: number): Promise<string | null> {
  const { rows } = await db.query<{ status: string }>(
    `SELECT status::text AS status FROM execution_step WHERE execution_id = $1 AND index = $2`,
    [executionId, index],
  );
  return rows[0]?.status ?? null;
}

async function leaseOf(db: TQueryable, executionId: string): Promise<{ owner: string | null; expiresAt: Date | null; status: string }> {
  const { rows } = await db.query<{ lease_owner: string | null; lease_expires_at: Date | null; status: string }>(
    `SELECT lease_owner, lease_expires_at, status::text AS status FROM execution WHERE id = $1`,
    [executionId],
  );
  const r = rows[0];
  return { owner: r?.lease_owner ?? null, expiresAt: r?.lease_expires_at ?? null, status: r?.status ?? "MISSING" };
}

const TERMINAL = ["SUCCEEDED", "ROLLED_BACK", "FAILED", "CANCELLED"];

/**
 * Runs one trial on `db` (which must have no other runnable execution). Crashes are applied in
 * order, each to a fresh worker process; after the last one an in-process worker finishes.
 */
export async function runCrashTrial(
  db: TTrialDatabase,
  spec: TTrialSpec,
  options: { leaseMs?: number; stepMs?: number; log?: (line: string) => void; trialTimeoutMs?: number } = {},
): Promise<TTrialResult> {
  const leaseMs = options.leaseMs ?? 1_000;
  const stepMs = options.stepMs ?? 300;
  const log = options.log ?? (() => {});
  const started = Date.now();
  const problems: string[] = [];
  const [req] = await fileAddReplicaRequests(db.pool, 1, (p) => withFastRetries(p, 3, 20, 30_000));
  if (!req) throw new Error("no request");
  const { executionId } = await enqueueExecution(db.pool, req.requestId);
  const faults: TFaultInput[] = spec.rollback
    ? [{ kind: "fail", executionId, stepIndex: 4, retryable: false, message: "simulated permanent failure of the last step" }]
    : [];

  let recoveryMs: number | null = null;
  let pendingExpiry: Date | null = null;
  let generation = 0;

  for (const crash of spec.crashes) {
    generation += 1;
    const workerId = `crash-${executionId.slice(0, 8)}-${generation}`;
    const args = [
      "--database-url",
      db.url,
      "--worker-id",
      workerId,
      "--concurrency",
      "1",
      "--lease-ms",
      String(leaseMs),
      "--poll-ms",
      "100",
      "--no-enqueue-approved",
      "--faults",
      JSON.stringify(faults),
    ];
    if (crash.kind === "self-kill") {
      args.push("--step-ms", "0", "--crash-at", JSON.stringify({ point: crash.point, index: crash.index, phase: crash.phase }));
    } else {
      args.push("--step-ms", String(stepMs));
    }
    const child = spawnWorker(args);
    try {
      // The dead predecessor's lease: the takeover is measured from its expiry.
      const claimedAt = await waitFor(
        async () => {
          const lease = await leaseOf(db.pool, executionId);
          // Claimed, or already finished by it (too fast to see the lease).
          return lease.owner === workerId || TERMINAL.includes(lease.status) ? Date.now() : null;
        },
        30_000,
        `${workerId} to claim the execution`,
        10,
      );
      if (pendingExpiry) {
        recoveryMs = Math.max(recoveryMs ?? 0, claimedAt - pendingExpiry.getTime());
        pendingExpiry = null;
      }
      if (crash.kind === "self-kill") {
        const code = await Promise.race([child.exited, new Promise<"timeout">((r) => setTimeout(() => r("timeout"), 20_000))]);
        if (code === "timeout") problems.push(`${workerId} never reached ${describeCrash(crash)}`);
      } else {
        const wanted = crash.phase === "run" ? "RUNNING" : "COMPENSATING";
        await waitFor(
          async () => (await stepStatus(db.pool, executionId, crash.index)) === wanted || TERMINAL.includes((await leaseOf(db.pool, executionId)).status),
          20_000,
          `step ${crash.index + 1} to be ${wanted}`,
          5,
        );
        await new Promise((r) => setTimeout(r, Math.min(100, stepMs / 3)));
        if (crash.kind === "kill-mid-step") {
          child.process.kill("SIGKILL");
          await child.exited;
        } else {
          const killed = await db.pool.query(
            `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND application_name LIKE $1`,
            [`${workerId}%`],
          );
          log(`  terminated ${killed.rowCount} connection(s) of ${workerId}`);
          // The process survives and must finish the execution itself.
          await waitFor(async () => TERMINAL.includes((await leaseOf(db.pool, executionId)).status), 30_000, `${workerId} to finish after losing its connections`, 20);
          child.process.kill("SIGTERM");
          await child.exited;
        }
      }
    } catch (error) {
      problems.push(`${describeCrash(crash)}: ${error instanceof Error ? error.message : String(error)}; worker output: ${child.output.slice(-8).join(" | ")}`);
      child.process.kill("SIGKILL");
      await child.exited;
    }
    const lease = await leaseOf(db.pool, executionId);
    if (!TERMINAL.includes(lease.status) && lease.owner === workerId) pendingExpiry = lease.expiresAt;
  }

  // The rescuer: a worker in this process.
  const status = (await leaseOf(db.pool, executionId)).status;
  if (!TERMINAL.includes(status)) {
    const events: TEngineEvent[] = [];
    const rescuer = startWorker({
      databaseUrl: db.url,
      workerId: `rescuer-${executionId.slice(0, 8)}`,
      concurrency: 1,
      leaseMs,
      pollMs: 100,
      enqueueApproved: false,
      driver: createSimulatedDriver({ durationScale: 0, faults }),
      onEvent: (e) => events.push(e),
    });
    try {
      const claimedAt = await waitFor(async () => events.find((e) => e.type === "claimed") && Date.now(), 70_000, "the rescuer to take over", 10);
      if (pendingExpiry) recoveryMs = Math.max(recoveryMs ?? 0, claimedAt - pendingExpiry.getTime());
      await waitFor(async () => TERMINAL.includes((await leaseOf(db.pool, executionId)).status), options.trialTimeoutMs ?? 30_000, "the execution to settle");
    } catch (error) {
      problems.push(error instanceof Error ? error.message : String(error));
    } finally {
      await rescuer.stop();
    }
  }

  problems.push(...(await checkInvariants(db.pool, executionId, req.requestId, req.plan, spec.rollback ? "ROLLED_BACK" : "SUCCEEDED")));
  if (recoveryMs !== null && recoveryMs > 60_000) problems.push(`takeover ${recoveryMs} ms after the lease expired (limit 60 s)`);
  const view = await getExecution(db.pool, executionId);
  return { name: spec.name, executionId, status: view.status, error: view.error, recoveryMs, durationMs: Date.now() - started, problems };
}

/** What must hold once an execution of an ADD_REPLICA plan has settled, whatever crashed on the way. */
export async function checkInvariants(
  db: TQueryable,
  executionId: string,
  requestId: string,
  plan: TPlan,
  expected: "SUCCEEDED" | "ROLLED_BACK",
): Promise<string[]> {
  const problems: string[] = [];
  const view = await getExecution(db, executionId);
  if (view.status !== expected) {
    if (view.status === "FAILED" && view.error) problems.push(`ended FAILED (with reason: ${view.error}), expected ${expected}`);
    else problems.push(`ended ${view.status}${view.error ? ` (${view.error})` : ""}, expected ${expected}`);
  }
  const request = await db.query<{ status: string }>(`SELECT status::text AS status FROM change_request WHERE id = $1`, [requestId]);
  if (request.rows[0]?.status !== view.status) problems.push(`request is ${request.rows[0]?.status}, execution ${view.status}`);
  if (view.leaseOwner) problems.push(`lease still held by ${view.leaseOwner}`);

  const ledger = await listSideEffects(db, executionId);
  const seen = new Map<string, number>();
  for (const e of ledger) seen.set(`${e.stepId}/${e.phase}`, (seen.get(`${e.stepId}/${e.phase}`) ?? 0) + 1);
  const expectedKeys = new Set<string>();
  for (const step of view.steps) {
    const planStep = plan.steps[step.index];
    if (!planStep) {
      problems.push(`step ${step.index} is not in the plan`);
      continue;
    }
    if (step.status === "RUNNING" || step.status === "PENDING" || step.status === "COMPENSATING")
      problems.push(`step ${step.index + 1} left ${step.status}`);
    if (view.status === "SUCCEEDED" && step.status !== "SUCCEEDED") problems.push(`step ${step.index + 1} is ${step.status} in a SUCCEEDED execution`);
    const mutates = planStep.compensation !== null;
    if (!mutates) continue;
    const result = (step.output as { result?: { alreadyDone?: boolean }; compensation?: { result?: { alreadyDone?: boolean } } } | null) ?? null;
    if (step.status === "SUCCEEDED" || step.status === "COMPENSATED" || step.status === "COMPENSATING" || step.status === "COMPENSATION_FAILED") {
      expectedKeys.add(`${planStep.id}/run`);
      if (result?.result?.alreadyDone) problems.push(`step ${step.index + 1} found its change already done: it ran before`);
    }
    if (step.status === "COMPENSATED") {
      expectedKeys.add(`${planStep.id}/compensate`);
      if (result?.compensation?.result?.alreadyDone) problems.push(`the compensation of step ${step.index + 1} found its change already undone`);
    }
  }
  for (const [key, count] of seen) {
    if (count > 1) problems.push(`side effect ${key} recorded ${count} times`);
    if (!expectedKeys.has(key)) problems.push(`side effect ${key} recorded but its step did not complete`);
  }
  for (const key of expectedKeys) if (!seen.has(key)) problems.push(`side effect ${key} missing from the ledger (step lost)`);

  const provision = plan.steps.find((s) => s.action === "provisionInstance");
  const create = plan.steps.find((s) => s.action === "createLink");
  const instance = await db.query(`SELECT 1 FROM instance WHERE id = $1`, [provision?.input.instanceId]);
  const link = await db.query<{ status: string }>(`SELECT status::text AS status FROM replication_link WHERE id = $1`, [create?.input.linkId]);
  if (view.status === "SUCCEEDED") {
    if (instance.rows.length !== 1) problems.push("the new replica is missing");
    if (link.rows[0]?.status !== "ACTIVE") problems.push(`the new link is ${link.rows[0]?.status ?? "missing"}`);
  }
  if (view.status === "ROLLED_BACK") {
    if (instance.rows.length !== 0) problems.push("the new replica is still there after the rollback");
    if (link.rows.length !== 0) problems.push("the new link is still there after the rollback");
  }
  return problems;
}
