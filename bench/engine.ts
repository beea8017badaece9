/**
 * Engine benchmark: approval-to-first-step latency and sustained steps/s of the execution
 * engine with the simulated driver at zero step duration, one worker and two workers (separate
 * processes, as in scale-out), each side by side with a bare baseline measured in the same run
 * on the same database. See bench/README.md.
 *
 *   npx tsx bench/engine.ts [--executions 100] [--rounds 3] [--latency-samples 60] [--concurrency 8] [--backlog 10000] [--server-url URL]
 *
 * Throughput runs alternate one worker / two workers for `rounds` rounds (the machine may be
 * shared: alternating spreads other load over both) and report the median round.
 *
 * Without --server-url an embedded PostgreSQL 17 is started (fsync off, like the test server).
 * Heavy: on a shared machine run it under `flock /tmp/meridian-heavy.lock`.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { createRequire } from "node:module";
import type pgTypes from "pg";
import { startEmbeddedPostgres } from "../packages/db/src/embedded.ts";
import { enqueueExecution } from "../packages/orchestrator/src/engine/index.ts";
import { CLAIM_SQL } from "../packages/orchestrator/src/engine/execution-store.ts";
import {
  approve,
  createSeededDatabase,
  fileAddReplicaRequests,
  insertRequest,
  type TTrialDatabase,
} from "../packages/orchestrator/src/engine/testing/fixtures.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const ORCHESTRATOR = path.join(ROOT, "packages/orchestrator");
const WORKER_MAIN = path.join(ORCHESTRATOR, "src/engine/worker-main.ts");
// bench/ is not a workspace package: take pg from the orchestrator's dependencies.
const pg = createRequire(path.join(ORCHESTRATOR, "package.json"))("pg") as typeof pgTypes;

const { values } = parseArgs({
  args: process.argv.slice(2).filter((a) => a !== "--"),
  options: {
    executions: { type: "string", default: "100" },
    rounds: { type: "string", default: "3" },
    "latency-samples": { type: "string", default: "60" },
    "poll-samples": { type: "string", default: "12" },
    concurrency: { type: "string", default: "8" },
    backlog: { type: "string", default: "10000" },
    "server-url": { type: "string" },
  },
});
const EXECUTIONS = Number(values.executions);
const ROUNDS = Number(values.rounds);
const LATENCY_SAMPLES = Number(values["latency-samples"]);
const POLL_SAMPLES = Number(values["poll-samples"]);
const CONCURRENCY = Number(values.concurrency);
const BACKLOG = Number(values.backlog);

// ---------------------------------------------------------------------------

function pct(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number;
}

function summary(samples: number[]): { p50: number; p95: number; max: number; mean: number } {
  const s = [...samples].sort((a, b) => a - b);
  return { p50: pct(s, 50), p95: pct(s, 95), max: s.at(-1) ?? NaN, mean: s.reduce((a, b) => a + b, 0) / Math.max(1, s.length) };
}

const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : "-");

interface TWorkerProcess {
  child: ChildProcess;
  exited: Promise<void>;
}

async function startWorkerProcess(url: string, id: string, extra: string[] = []): Promise<TWorkerProcess> {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", WORKER_MAIN, "--database-url", url, "--worker-id", id, "--concurrency", String(CONCURRENCY), "--duration-scale", "0", "--lease-ms", "15000", "--quiet", ...extra],
    { cwd: ORCHESTRATOR, stdio: ["ignore", "pipe", "inherit"] },
  );
  const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
  await new Promise<void>((resolve, reject) => {
    let buffer = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      buffer += chunk.toString();
      if (/ready/.test(buffer)) resolve();
    });
    child.on("exit", (code) => reject(new Error(`worker ${id} exited (${code}) before it was ready`)));
  });
  return { child, exited };
}

async function stopWorkerProcess(w: TWorkerProcess): Promise<void> {
  w.child.kill("SIGTERM");
  await w.exited;
}

// ---------------------------------------------------------------------------
// Baselines
// ---------------------------------------------------------------------------

/** `count` bare `UPDATE ... RETURNING` round trips, sequential on one connection; and `parallel` connections at once. */
async function bareUpdates(pool: pgTypes.Pool, count: number, parallel: number): Promise<{ sequentialPerS: number; rtMs: number; parallelPerS: number }> {
  const { rows } = await pool.query<{ id: string }>(`SELECT id FROM execution_step LIMIT 1`);
  const id = rows[0]?.id;
  if (!id) throw new Error("no step row for the baseline");
  const one = await pool.connect();
  const t0 = performance.now();
  for (let i = 0; i < count; i++) await one.query(`UPDATE execution_step SET attempt = attempt WHERE id = $1 RETURNING id`, [id]);
  const seqMs = performance.now() - t0;
  one.release();
  // Parallel: different rows so that they do not queue on one row lock.
  const ids = (await pool.query<{ id: string }>(`SELECT id FROM execution_step LIMIT $1`, [parallel])).rows.map((r) => r.id);
  const t1 = performance.now();
  await Promise.all(
    ids.map(async (rowId) => {
      const c = await pool.connect();
      try {
        for (let i = 0; i < Math.ceil(count / ids.length); i++)
          await c.query(`UPDATE execution_step SET attempt = attempt WHERE id = $1 RETURNING id`, [rowId]);
      } finally {
        c.release();
      }
    }),
  );
  const parMs = performance.now() - t1;
  return { sequentialPerS: (count / seqMs) * 1000, rtMs: seqMs / count, parallelPerS: ((Math.ceil(count / ids.length) * ids.length) / parMs) * 1000 };
}

/** A bare NOTIFY -> LISTEN wake-up round trip (the floor of any push-based wake-up). */
async function bareNotify(url: string, samples: number): Promise<number[]> {
  const listener = new pg.Client({ connectionString: url });
  const sender = new pg.Client({ connectionString: url });
  await listener.connect();
  await sender.connect();
  await listener.query(`LISTEN bench_baseline`);
  const out: number[] = [];
  for (let i = 0; i < samples; i++) {
    const got = new Promise<void>((resolve) => listener.once("notification", () => resolve()));
    const t0 = performance.now();
    await sender.query(`SELECT pg_notify('bench_baseline', $1)`, [String(i)]);
    await got;
    out.push(performance.now() - t0);
  }
  await listener.end();
  await sender.end();
  return out;
}

// ---------------------------------------------------------------------------
// Engine measurements
// ---------------------------------------------------------------------------

/** Approval-to-first-step: from the enqueue call (what the API does on the last approval) to the first step's start. */
async function approvalToFirstStep(db: TTrialDatabase, samples: number, jitterMs = 0): Promise<number[]> {
  const reqs = await fileAddReplicaRequests(db.pool, samples, (p) => p, "PENDING_APPROVAL");
  const out: number[] = [];
  for (const req of reqs) {
    // Approvals arrive at random times relative to the worker's poll timer.
    if (jitterMs) await new Promise((r) => setTimeout(r, Math.random() * jitterMs));
    // What the API does on the last approval: record it, mark the request APPROVED, enqueue.
    const t0 = Date.now();
    await approve(db.pool, req.requestId);
    await db.pool.query(`UPDATE change_request SET status = 'APPROVED', version = version + 1, updated_at = now() WHERE id = $1`, [req.requestId]);
    const { executionId } = await enqueueExecution(db.pool, req.requestId);
    let started: Date | null = null;
    for (let i = 0; i < 20_000 && !started; i++) {
      const { rows } = await db.pool.query<{ started_at: Date | null }>(
        `SELECT started_at FROM execution_step WHERE execution_id = $1 AND index = 0`,
        [executionId],
      );
      started = rows[0]?.started_at ?? null;
      if (!started) await new Promise((r) => setTimeout(r, 2));
    }
    if (!started) throw new Error("the first step never started");
    out.push(started.getTime() - t0);
    // Let it finish so the next sample starts from an idle worker.
    for (;;) {
      const { rows } = await db.pool.query<{ status: string }>(`SELECT status::text AS status FROM execution WHERE id = $1`, [executionId]);
      if (["SUCCEEDED", "ROLLED_BACK", "FAILED"].includes(rows[0]?.status ?? "")) break;
      await new Promise((r) => setTimeout(r, 5));
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  return out;
}

/**
 * The claim statement's own latency with `samples` claims, each in a transaction rolled back (the
 * queue is left as it is): what every claim costs with the queue at its current length.
 */
async function claimLatency(db: TTrialDatabase, samples: number): Promise<number[]> {
  const client = await db.pool.connect();
  const out: number[] = [];
  try {
    await client.query(`PREPARE bench_claim(text, int) AS ${CLAIM_SQL}`);
    for (let i = 0; i < samples + 5; i++) {
      await client.query("BEGIN");
      const t0 = performance.now();
      const { rows } = await client.query(`EXECUTE bench_claim('bench-probe', 15000)`);
      const ms = performance.now() - t0;
      await client.query("ROLLBACK");
      if (!rows[0]?.id) throw new Error("the claim found nothing to claim");
      if (i >= 5) out.push(ms); // after the plan is cached, as in a worker
    }
    await client.query(`DEALLOCATE bench_claim`);
  } finally {
    client.release();
  }
  return out;
}

/**
 * `count` more runnable executions queued behind the ones already there (copies of their plans,
 * each its own approved request): the backlog. Set-based enough to take about a minute.
 */
async function queueBacklog(db: TTrialDatabase, like: Awaited<ReturnType<typeof fileAddReplicaRequests>>, count: number): Promise<number> {
  const t0 = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (;;) {
        const i = next++;
        if (i >= count) return;
        const model = like[i % like.length]!;
        const requestId = await insertRequest(db.pool, { kind: "ADD_REPLICA", params: model.plan, plan: model.plan, clusterId: model.clusterId });
        await enqueueExecution(db.pool, requestId);
      }
    }),
  );
  return (performance.now() - t0) / 1000;
}

/**
 * Sustained steps/s: `executions` queued up front (and `backlog` more behind them), then
 * `workers` worker processes drain the first `executions`; steps/s is theirs.
 */
async function throughput(
  db: TTrialDatabase,
  workers: number,
  executions: number,
  backlog = 0,
): Promise<{ steps: number; seconds: number; stepsPerS: number; outcomes: string; claim: number[]; backlogSeconds: number }> {
  const reqs = await fileAddReplicaRequests(db.pool, executions);
  const ids: string[] = [];
  for (const r of reqs) ids.push((await enqueueExecution(db.pool, r.requestId)).executionId);
  const backlogSeconds = backlog > 0 ? await queueBacklog(db, reqs, backlog) : 0;
  // Statistics as a running server has them (autoanalyze). Without them (a server with
  // autovacuum off, like this machine's PostgreSQL 15) the claim is planned for empty tables
  // and checks every open execution: see bench/README.md.
  await db.pool.query("ANALYZE");
  const claim = await claimLatency(db, 40);
  const procs = await Promise.all(Array.from({ length: workers }, (_, i) => startWorkerProcess(db.url, `bench-${workers}w-${i}`)));
  try {
    for (;;) {
      const { rows } = await db.pool.query<{ open: number }>(
        `SELECT count(*)::int AS open FROM execution WHERE id = ANY($1::uuid[]) AND status NOT IN ('SUCCEEDED', 'ROLLED_BACK', 'FAILED', 'CANCELLED')`,
        [ids],
      );
      if ((rows[0]?.open ?? 1) === 0) break;
      await new Promise((r) => setTimeout(r, 50));
    }
  } finally {
    await Promise.all(procs.map(stopWorkerProcess));
  }
  const { rows } = await db.pool.query<{ steps: number; first: Date; last: Date }>(
    `SELECT count(*)::int AS steps, min(s.started_at) AS first, max(s.finished_at) AS last
       FROM execution_step s WHERE s.execution_id = ANY($1::uuid[]) AND s.status IN ('SUCCEEDED', 'COMPENSATED', 'FAILED')`,
    [ids],
  );
  const outcome = await db.pool.query<{ status: string; n: number }>(
    `SELECT status::text AS status, count(*)::int AS n FROM execution WHERE id = ANY($1::uuid[]) GROUP BY status ORDER BY status`,
    [ids],
  );
  const r = rows[0]!;
  const seconds = (r.last.getTime() - r.first.getTime()) / 1000;
  if (backlog > 0) {
    // The backlog is not drained: cancel what is left so later rounds start from an empty queue.
    await db.pool.query(
      `UPDATE execution SET status = 'CANCELLED', finished_at = now(), lease_owner = NULL, lease_expires_at = NULL
        WHERE status IN ('QUEUED', 'RUNNING', 'COMPENSATING')`,
    );
  }
  return {
    steps: r.steps,
    seconds,
    stepsPerS: r.steps / seconds,
    outcomes: outcome.rows.map((o) => `${o.status} ${o.n}`).join(", "),
    claim,
    backlogSeconds,
  };
}

// ---------------------------------------------------------------------------

async function main(): Promise<void> {
  let serverUrl = values["server-url"];
  let stop: (() => Promise<void>) | null = null;
  let dir: string | null = null;
  if (!serverUrl) {
    dir = mkdtempSync(path.join(os.tmpdir(), "meridian-bench-pg-"));
    chmodSync(dir, 0o755);
    const server = await startEmbeddedPostgres({ dataDir: path.join(dir, "data"), port: 0, ephemeral: true });
    serverUrl = server.url;
    stop = server.stop;
  }
  const pgVersion = await (async () => {
    const c = new pg.Client({ connectionString: serverUrl });
    await c.connect();
    const v = (await c.query<{ v: string }>(`SELECT current_setting('server_version') AS v`)).rows[0]?.v;
    await c.end();
    return v;
  })();
  console.log(`engine benchmark: PostgreSQL ${pgVersion}, ${os.cpus().length} CPU(s) (${os.cpus()[0]?.model ?? "?"}), load ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`);
  console.log(`simulated driver at zero step duration; ADD_REPLICA plans (5 steps, 3 of them changing the fleet); worker concurrency ${CONCURRENCY}\n`);

  const db = await createSeededDatabase(serverUrl, { instances: 2000, poolMax: CONCURRENCY + 2 });
  try {
    // Latency, one idle worker listening.
    const listening = await startWorkerProcess(db.url, "bench-latency");
    const latency = await approvalToFirstStep(db, LATENCY_SAMPLES);
    await stopWorkerProcess(listening);
    // Latency with the polling fallback only (LISTEN off, poll 1 s).
    const polling = await startWorkerProcess(db.url, "bench-poll", ["--poll-ms", "1000", "--no-listen"]).catch(() => null);
    const pollLatency = polling ? await approvalToFirstStep(db, POLL_SAMPLES, 1_000) : [];
    if (polling) await stopWorkerProcess(polling);
    const notify = await bareNotify(db.url, LATENCY_SAMPLES);

    const ones: Awaited<ReturnType<typeof throughput>>[] = [];
    const twos: Awaited<ReturnType<typeof throughput>>[] = [];
    const bares: Awaited<ReturnType<typeof bareUpdates>>[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      ones.push(await throughput(db, 1, EXECUTIONS));
      twos.push(await throughput(db, 2, EXECUTIONS));
      bares.push(await bareUpdates(db.pool, EXECUTIONS * 5, CONCURRENCY));
    }
    // A backlog: the same drain with BACKLOG more runnable executions queued behind.
    const backlogged = BACKLOG > 0 ? await throughput(db, 1, EXECUTIONS, BACKLOG) : null;
    const median = <T,>(xs: T[], key: (x: T) => number): T => [...xs].sort((a, b) => key(a) - key(b))[Math.floor(xs.length / 2)] as T;
    const one = median(ones, (x) => x.stepsPerS);
    const two = median(twos, (x) => x.stepsPerS);
    const bare = median(bares, (x) => x.sequentialPerS);
    const range = (xs: { stepsPerS: number }[]) => `${fmt(Math.min(...xs.map((x) => x.stepsPerS)), 0)}-${fmt(Math.max(...xs.map((x) => x.stepsPerS)), 0)}`;

    const l = summary(latency);
    const p = summary(pollLatency);
    const n = summary(notify);
    console.log("approval-to-first-step latency (approval recorded -> first step started), one idle worker");
    console.log(`  engine, LISTEN/NOTIFY wake-up   p50 ${fmt(l.p50, 1)} ms   p95 ${fmt(l.p95, 1)} ms   max ${fmt(l.max, 1)} ms   (${latency.length} samples; target p95 < 10 ms: ${l.p95 < 10 ? "met" : "MISSED"})`);
    if (pollLatency.length)
      console.log(`  engine, polling only (1 s)      p50 ${fmt(p.p50, 0)} ms   p95 ${fmt(p.p95, 0)} ms   max ${fmt(p.max, 0)} ms   (${pollLatency.length} samples)`);
    console.log(`  bare NOTIFY -> LISTEN baseline  p50 ${fmt(n.p50, 2)} ms   p95 ${fmt(n.p95, 2)} ms`);
    console.log(`  ratio engine / bare wake-up     p50 ${fmt(l.p50 / n.p50)}x   p95 ${fmt(l.p95 / n.p95)}x\n`);

    console.log(`sustained throughput (${EXECUTIONS} executions queued, drained by worker processes; median of ${ROUNDS} alternating rounds)`);
    console.log(`  one worker    ${fmt(one.stepsPerS, 0).padStart(6)} steps/s  (rounds ${range(ones)}; ${one.steps} steps in ${fmt(one.seconds, 2)} s; ${one.outcomes}; target >= 2,000: ${one.stepsPerS >= 2000 ? "met" : "MISSED"})`);
    console.log(`  two workers   ${fmt(two.stepsPerS, 0).padStart(6)} steps/s  (rounds ${range(twos)}; ${two.steps} steps in ${fmt(two.seconds, 2)} s; ${two.outcomes}); scaling x${fmt(two.stepsPerS / one.stepsPerS, 2)}`);
    console.log(`  bare UPDATE ... RETURNING, 1 connection     ${fmt(bare.sequentialPerS, 0).padStart(6)} /s  (${fmt(bare.rtMs, 3)} ms a round trip)`);
    console.log(`  bare UPDATE ... RETURNING, ${CONCURRENCY} connections    ${fmt(bare.parallelPerS, 0).padStart(6)} /s`);
    console.log(`  ratio one worker / bare (1 conn)  ${fmt(one.stepsPerS / bare.sequentialPerS, 3)}  -> ${fmt(bare.sequentialPerS / one.stepsPerS, 1)} bare round trips' time per engine step`);
    console.log(`  ratio one worker / bare (${CONCURRENCY} conns) ${fmt(one.stepsPerS / bare.parallelPerS, 3)}  (target >= 0.3 of the 1-connection figure: ${one.stepsPerS / bare.sequentialPerS >= 0.3 ? "met" : "MISSED"})`);
    if (backlogged) {
      const c0 = summary(one.claim);
      const c1 = summary(backlogged.claim);
      console.log(`\nbacklog: ${BACKLOG} more runnable executions queued behind the ${EXECUTIONS} (queued in ${fmt(backlogged.backlogSeconds, 0)} s), one worker`);
      console.log(`  claim statement, ${EXECUTIONS} queued      p50 ${fmt(c0.p50, 2)} ms   p95 ${fmt(c0.p95, 2)} ms`);
      console.log(`  claim statement, ${EXECUTIONS + BACKLOG} queued   p50 ${fmt(c1.p50, 2)} ms   p95 ${fmt(c1.p95, 2)} ms   (p95 ratio ${fmt(c1.p95 / c0.p95, 2)}x; target within 1.2x: ${c1.p95 <= c0.p95 * 1.2 ? "met" : "MISSED"})`);
      console.log(`  steps/s draining the first ${EXECUTIONS}   ${fmt(backlogged.stepsPerS, 0)} (vs ${fmt(one.stepsPerS, 0)} without the backlog: ${fmt(backlogged.stepsPerS / one.stepsPerS, 2)}x; target within 20%: ${backlogged.stepsPerS >= one.stepsPerS * 0.8 ? "met" : "MISSED"})`);
    }
    console.log(`\nload average at the end: ${os.loadavg().map((l) => l.toFixed(2)).join(" ")} (other processes share these CPUs)`);
  } finally {
    await db.drop();
    await stop?.();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

