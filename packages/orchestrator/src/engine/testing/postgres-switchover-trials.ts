/**
 * kill -9 trials of SWITCHOVER on real servers: a real worker process (worker-main.ts under tsx,
 * running the fleet driver) carries out a switchover between two embedded PostgreSQL servers
 * while an application writes every 10 ms to whatever the inventory says is the primary. The
 * worker is SIGKILLed at an engine point of a step (attempt started, changes applied on the
 * servers but not committed in the inventory, committed) or in the middle of a step; another
 * worker takes over once the lease expires and finishes or rolls back the switchover. Then:
 * - the execution settled (SUCCEEDED, or ROLLED_BACK for the trials whose subscriber is stuck);
 * - exactly one writable server, and it is the inventory's primary (the new one if SUCCEEDED,
 *   the old one if ROLLED_BACK); replication in exactly one direction (checkTopology);
 * - no row lost: every row the application saw committed is on both servers.
 * Used by postgres-switchover-trials.test.ts (a few trials) and postgres-switchover-trials-main.ts (all).
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type TPlan } from "../../core/plan";
import { getExecution, type TQueryable } from "../execution-store";
import { startWorker } from "../worker";
import { waitFor } from "./fixtures";
import { APP_DATABASE, checkTopology, fileSwitchover, missingRows, startWriter, type TPgSwitchoverLab } from "./postgres-switchover-lab";

const ENGINE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const PACKAGE_DIR = path.resolve(ENGINE_DIR, "../..");
const WORKER_MAIN = path.join(ENGINE_DIR, "worker-main.ts");

export type TPgCrash =
  | { kind: "self-kill"; point: "attempt-started" | "before-commit" | "committed"; index: number; phase: "run" | "compensate" }
  | { kind: "kill-mid-step"; index: number; phase: "run" | "compensate" };

export interface TPgTrialSpec {
  name: string;
  crashes: TPgCrash[];
  /** The subscriber is stuck (a lock on the replica): the catch-up times out and the switchover rolls back. */
  stuckSubscriber?: boolean;
}

export interface TPgTrialResult {
  name: string;
  status: string;
  durationMs: number;
  committedRows: number;
  problems: string[];
}

/** Steps of the two-member plan: 0 check, 1 fence, 2 wait for the fence LSN, 3 promote, 4 demote, 5 unfence. */
const STEP_NAMES = ["check", "fence", "wait-for-fence-lsn", "promote", "demote", "unfence"];

const describe = (c: TPgCrash) =>
  c.kind === "self-kill"
    ? `kill -9 at ${c.point} of ${c.phase === "run" ? "" : "the compensation of "}${STEP_NAMES[c.index]}`
    : `kill -9 in the middle of ${c.phase === "run" ? "" : "the compensation of "}${STEP_NAMES[c.index]}`;

const trial = (crashes: TPgCrash[], stuckSubscriber = false): TPgTrialSpec => ({
  name: `${crashes.map(describe).join(", then ")}${stuckSubscriber ? " (subscriber stuck: rolls back)" : ""}`,
  crashes,
  stuckSubscriber,
});

/** Every step, every point: 23 trials. */
export const ALL_PG_TRIALS: TPgTrialSpec[] = [
  ...[1, 2, 3, 4, 5].map((index) => trial([{ kind: "self-kill", point: "attempt-started", index, phase: "run" }])),
  ...[1, 2, 3, 4, 5].map((index) => trial([{ kind: "self-kill", point: "before-commit", index, phase: "run" }])),
  ...[0, 1, 2, 3, 4].map((index) => trial([{ kind: "self-kill", point: "committed", index, phase: "run" }])),
  ...[2, 3, 4, 5].map((index) => trial([{ kind: "kill-mid-step", index, phase: "run" }])),
  trial(
    [
      { kind: "self-kill", point: "before-commit", index: 1, phase: "run" },
      { kind: "self-kill", point: "before-commit", index: 4, phase: "run" },
    ],
  ),
  trial([{ kind: "self-kill", point: "before-commit", index: 1, phase: "compensate" }], true),
  trial([{ kind: "self-kill", point: "attempt-started", index: 1, phase: "compensate" }], true),
  trial([{ kind: "kill-mid-step", index: 2, phase: "run" }], true),
];

/** The CI subset: the points where the servers and the inventory disagree (applied, not committed), mid-step, and a rollback. */
export const CI_PG_TRIALS: TPgTrialSpec[] = ALL_PG_TRIALS.filter(
  (t, i) =>
    (t.crashes[0]?.kind === "self-kill" && t.crashes[0].point === "before-commit" && t.crashes.length === 1 && !t.stuckSubscriber && [1, 3, 4, 5].includes(t.crashes[0].index)) ||
    (t.crashes[0]?.kind === "kill-mid-step" && t.crashes[0].index === 3 && !t.stuckSubscriber) ||
    (t.stuckSubscriber === true && i === ALL_PG_TRIALS.length - 3),
);

interface TChild {
  process: ChildProcess;
  exited: Promise<number | null>;
  output: string[];
}

function spawnWorker(args: string[], credentialKeyText: string): TChild {
  const child = spawn(process.execPath, ["--import", "tsx", WORKER_MAIN, ...args], {
    cwd: PACKAGE_DIR,
    stdio: ["ignore", "pipe", "pipe"],
    // The child worker reads its credential key the way a production worker does.
    env: { ...process.env, MERIDIAN_CREDENTIAL_KEY: credentialKeyText },
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

const TERMINAL = ["SUCCEEDED", "ROLLED_BACK", "FAILED", "CANCELLED"];

async function executionState(db: TQueryable, executionId: string): Promise<{ owner: string | null; status: string }> {
  const { rows } = await db.query<{ lease_owner: string | null; status: string }>(
    `SELECT lease_owner, status::text AS status FROM execution WHERE id = $1`,
    [executionId],
  );
  return { owner: rows[0]?.lease_owner ?? null, status: rows[0]?.status ?? "MISSING" };
}

async function stepStatus(db: TQueryable, executionId: string, index: number): Promise<string | null> {
  const { rows } = await db.query<{ status: string }>(`SELECT status::text AS status FROM execution_step WHERE execution_id = $1 AND index = $2`, [
    executionId,
    index,
  ]);
  return rows[0]?.status ?? null;
}

/** Short retries for trials; the catch-up gives up quickly when the subscriber is stuck. */
function trialPlan(plan: TPlan, stuck: boolean): TPlan {
  return {
    ...plan,
    steps: plan.steps.map((s) => ({
      ...s,
      input: s.action === "waitForFenceLsn" ? { ...s.input, maxWaitMs: stuck ? 1_000 : 10_000 } : s.input,
      retry: s.action === "waitForFenceLsn" && stuck ? { maxAttempts: 1, backoffMs: 0 } : { maxAttempts: 4, backoffMs: 50 },
      timeoutMs: s.action === "waitForFenceLsn" ? (stuck ? 1_500 : 15_000) : 20_000,
    })),
  };
}

export async function runPgSwitchoverTrial(
  lab: TPgSwitchoverLab,
  spec: TPgTrialSpec,
  options: { leaseMs?: number; log?: (line: string) => void } = {},
): Promise<TPgTrialResult> {
  const leaseMs = options.leaseMs ?? 1_000;
  const log = options.log ?? (() => {});
  const started = Date.now();
  const problems: string[] = [];
  const writer = startWriter(lab, 10);
  await new Promise((r) => setTimeout(r, 150));
  const { executionId, fromId, toId } = await fileSwitchover(lab, { adjust: (p) => trialPlan(p, spec.stuckSubscriber === true) });
  const replicaServer = lab.servers[lab.instanceIds.indexOf(toId)]!;
  const lock = spec.stuckSubscriber ? await replicaServer.connect(APP_DATABASE) : null;
  if (lock) {
    await lock.query("BEGIN");
    await lock.query("LOCK TABLE orders IN ACCESS EXCLUSIVE MODE");
  }
  let generation = 0;
  try {
    for (const crash of spec.crashes) {
      generation += 1;
      const workerId = `pg-crash-${executionId.slice(0, 8)}-${generation}`;
      const args = ["--database-url", lab.db.url, "--worker-id", workerId, "--concurrency", "1", "--lease-ms", String(leaseMs), "--poll-ms", "50"];
      args.push("--no-enqueue-approved", "--duration-scale", "0", "--quiet");
      if (crash.kind === "self-kill") args.push("--crash-at", JSON.stringify({ point: crash.point, index: crash.index, phase: crash.phase }));
      const child = spawnWorker(args, lab.credentialKeyText);
      try {
        await waitFor(
          async () => {
            const s = await executionState(lab.db.pool, executionId);
            return s.owner === workerId || TERMINAL.includes(s.status);
          },
          30_000,
          `${workerId} to claim the execution`,
          10,
        );
        if (crash.kind === "self-kill") {
          const code = await Promise.race([child.exited, new Promise<"timeout">((r) => setTimeout(() => r("timeout"), 30_000))]);
          if (code === "timeout") problems.push(`${workerId} never reached ${describe(crash)}`);
        } else {
          const wanted = crash.phase === "run" ? "RUNNING" : "COMPENSATING";
          await waitFor(
            async () => (await stepStatus(lab.db.pool, executionId, crash.index)) === wanted || TERMINAL.includes((await executionState(lab.db.pool, executionId)).status),
            30_000,
            `step ${crash.index + 1} to be ${wanted}`,
            3,
          );
          child.process.kill("SIGKILL");
          await child.exited;
        }
      } catch (error) {
        problems.push(`${describe(crash)}: ${error instanceof Error ? error.message : String(error)}; worker output: ${child.output.slice(-6).join(" | ")}`);
      } finally {
        child.process.kill("SIGKILL");
        await child.exited;
      }
    }

    // The rescuer, in this process, once the dead worker's lease has expired.
    if (!TERMINAL.includes((await executionState(lab.db.pool, executionId)).status)) {
      const rescuer = startWorker({
        databaseUrl: lab.db.url,
        workerId: `pg-rescuer-${executionId.slice(0, 8)}`,
        concurrency: 1,
        leaseMs,
        pollMs: 50,
        enqueueApproved: false,
        driver: lab.driver(),
      });
      try {
        await waitFor(async () => TERMINAL.includes((await executionState(lab.db.pool, executionId)).status), 90_000, "the execution to settle", 25);
      } catch (error) {
        problems.push(error instanceof Error ? error.message : String(error));
      } finally {
        await rescuer.stop();
      }
    }
  } finally {
    if (lock) {
      await lock.query("COMMIT").catch(() => {});
      await lock.end().catch(() => {});
    }
    await writer.stop();
  }

  const view = await getExecution(lab.db.pool, executionId);
  const expected = spec.stuckSubscriber ? "ROLLED_BACK" : "SUCCEEDED";
  if (view.status !== expected) problems.push(`ended ${view.status}${view.error ? ` (${view.error})` : ""}, expected ${expected}`);
  const topology = await checkTopology(lab);
  problems.push(...topology.problems);
  const expectedPrimary = view.status === "SUCCEEDED" ? toId : view.status === "ROLLED_BACK" ? fromId : null;
  if (expectedPrimary && topology.primaryId !== expectedPrimary) problems.push(`the primary is ${topology.primaryId}, expected ${expectedPrimary}`);
  for (const [i, server] of lab.servers.entries()) {
    try {
      await waitFor(async () => (await missingRows(server, writer.committed)).length === 0, 15_000, `every committed row on server ${i}`, 50);
    } catch {
      const missing = await missingRows(server, writer.committed);
      problems.push(`${missing.length} committed row(s) missing on server ${i} (e.g. ${missing.slice(0, 3).join(", ")})`);
    }
  }
  const result = { name: spec.name, status: view.status, durationMs: Date.now() - started, committedRows: writer.committed.length, problems };
  log(`${problems.length ? "FAIL" : "ok  "} ${view.status.padEnd(11)} ${String(result.durationMs).padStart(6)} ms  ${writer.committed.length} rows  ${spec.name}${problems.length ? `\n       ${problems.join("\n       ")}` : ""}`);
  return result;
}
