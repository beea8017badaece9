/**
 * Switchover benchmark on real servers: two embedded PostgreSQL 17 servers joined by logical
 * replication, registered as one POSTGRES cluster; an application writes a row every 10 ms to
 * whatever the inventory says is the writable primary (reconnecting when a write fails).
 * Alternately, Meridian switches the primary over (an approved SWITCHOVER run by the engine in
 * this process with the fleet driver) and the same SQL is run by hand (one script, sessions to
 * both servers opened once, as a DBA at a psql prompt would). Reports:
 * - write unavailability per switchover (longest gap between two successful writes around it):
 *   p50 / p95 / max, for both;
 * - total switchover time: Meridian (approved request enqueued -> execution SUCCEEDED seen) and by
 *   hand (first statement -> writes open and the inventory updated), and their ratio.
 *
 *   npx tsx bench/switchover.ts [--switchovers 20] [--server-url postgresql://...]
 *
 * Without --server-url the metadata database runs on an embedded PostgreSQL 17 too.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { startEmbeddedPostgres, type TEmbeddedPostgres } from "../packages/db/src/embedded.ts";
import { publicationName, replicationRoleName, slotName, subscriptionName } from "../packages/fleet/src/postgres/names.ts";
import { startWorker } from "../packages/orchestrator/src/engine/worker.ts";
import { enqueueExecution, getExecution } from "../packages/orchestrator/src/engine/execution-store.ts";
import {
  APP_DATABASE,
  checkTopology,
  createPgSwitchoverLab,
  currentRoles,
  fileSwitchover,
  missingRows,
  startWriter,
  type TPgSwitchoverLab,
} from "../packages/orchestrator/src/engine/testing/postgres-switchover-lab.ts";

const { values } = parseArgs({
  args: process.argv.slice(2).filter((a) => a !== "--"),
  options: { switchovers: { type: "string", default: "20" }, "server-url": { type: "string" } },
});
const N = Number(values.switchovers);

function pct(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number;
}
function summary(samples: number[]) {
  const s = [...samples].sort((a, b) => a - b);
  return { p50: pct(s, 50), p95: pct(s, 95), max: s.at(-1) ?? NaN };
}
const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");

/** The same SQL as Meridian's steps, run by hand: check, fence, wait, drop forward, create reverse, open. */
async function handSwitchover(lab: TPgSwitchoverLab): Promise<number> {
  const { primaryId, replicaIds } = await currentRoles(lab.db.pool, lab.clusterId);
  const replicaId = replicaIds[0]!;
  const P = lab.servers[lab.instanceIds.indexOf(primaryId)]!;
  const R = lab.servers[lab.instanceIds.indexOf(replicaId)]!;
  const { rows: links } = await lab.db.pool.query<{ id: string }>(`SELECT id FROM replication_link WHERE source_id = $1 AND target_id = $2`, [
    primaryId,
    replicaId,
  ]);
  const forward = links[0]!.id;
  const reverse = randomUUID();
  const p = await P.connect(APP_DATABASE);
  const r = await R.connect(APP_DATABASE);
  const started = performance.now();
  try {
    for (const c of [p, r]) await c.query("SET default_transaction_read_only = off");
    // check
    await r.query(`SELECT subenabled FROM pg_subscription WHERE subname = $1`, [subscriptionName(forward)]);
    // fence
    await p.query(`ALTER DATABASE ${APP_DATABASE} SET default_transaction_read_only = on`);
    const terminate = `SELECT count(*) FILTER (WHERE pg_terminate_backend(pid, 5000)) FROM pg_stat_activity
      WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend' AND application_name NOT LIKE 'meridian%'
        AND application_name <> 'pg_bench_hand'`;
    await p.query(terminate);
    // flushed position (see flushedLsn in switchover-server.ts: synchronous_commit = off would hide the last commits)
    await p.query(`SET synchronous_commit = on`);
    await p.query(`SELECT pg_logical_emit_message(true, 'meridian', 'fence')`);
    const lsn = (await p.query<{ l: string }>(`SELECT pg_current_wal_lsn()::text AS l`)).rows[0]!.l;
    // wait for the fence LSN
    for (;;) {
      const { rows } = await p.query<{ ok: boolean }>(
        `SELECT confirmed_flush_lsn >= $2::pg_lsn AS ok FROM pg_replication_slots WHERE slot_name = $1`,
        [slotName(forward), lsn],
      );
      if (rows[0]?.ok) break;
      await new Promise((res) => setTimeout(res, 10));
    }
    // promote: drop the forward subscription (and its slot), publication and role
    await r.query(`ALTER DATABASE ${APP_DATABASE} SET default_transaction_read_only = on`);
    await r.query(`DROP SUBSCRIPTION ${subscriptionName(forward)}`);
    await p.query(`DROP PUBLICATION ${publicationName(forward)}`);
    await p.query(`DROP OWNED BY ${replicationRoleName(forward)}`);
    await p.query(`DROP ROLE ${replicationRoleName(forward)}`);
    // demote: the reverse link without initial copy
    const password = randomBytes(24).toString("base64url");
    await r.query(`CREATE ROLE ${replicationRoleName(reverse)} WITH LOGIN REPLICATION PASSWORD '${password}'`);
    await r.query(`GRANT USAGE ON SCHEMA public TO ${replicationRoleName(reverse)}`);
    await r.query(`GRANT SELECT ON public.orders TO ${replicationRoleName(reverse)}`);
    await r.query(`CREATE PUBLICATION ${publicationName(reverse)} FOR TABLE public.orders`);
    await p.query(
      `CREATE SUBSCRIPTION ${subscriptionName(reverse)} CONNECTION 'host=127.0.0.1 port=${R.port} dbname=${APP_DATABASE} user=${replicationRoleName(reverse)} password=${password}'
       PUBLICATION ${publicationName(reverse)} WITH (copy_data = false, create_slot = true, enabled = true, slot_name = '${slotName(reverse)}')`,
    );
    // the inventory (what the application follows), then open writes on the new primary
    await lab.db.pool.query(
      `WITH a AS (UPDATE instance SET role = 'REPLICA', updated_at = now() WHERE id = $1),
            b AS (UPDATE instance SET role = 'PRIMARY', updated_at = now() WHERE id = $2),
            d AS (DELETE FROM replication_link WHERE id = $3)
       INSERT INTO replication_link (id, source_id, target_id, mode, status, tables, updated_at) VALUES ($4, $2, $1, 'LOGICAL', 'ACTIVE', '{}', now())`,
      [primaryId, replicaId, forward, reverse],
    );
    await lab.db.pool.query(
      `UPDATE fleet_instance_state SET writes_fenced = (instance_id = $1) WHERE instance_id IN ($1, $2)`,
      [primaryId, replicaId],
    );
    await r.query(`ALTER DATABASE ${APP_DATABASE} RESET default_transaction_read_only`);
    await r.query(terminate);
    return performance.now() - started;
  } finally {
    await p.end();
    await r.end();
  }
}

/** Longest gap between two successful writes that overlaps [from, to]. */
function unavailability(gaps: { start: number; end: number }[], from: number, to: number): number {
  return Math.max(0, ...gaps.filter((g) => g.end >= from && g.start <= to).map((g) => g.end - g.start));
}

async function main(): Promise<void> {
  let meta: TEmbeddedPostgres | null = null;
  let metaDir: string | null = null;
  let url = values["server-url"];
  if (!url) {
    metaDir = mkdtempSync(path.join(os.tmpdir(), "meridian-bench-meta-"));
    chmodSync(metaDir, 0o755);
    meta = await startEmbeddedPostgres({ dataDir: path.join(metaDir, "data"), port: 0, ephemeral: true });
    url = meta.url;
  }
  const loadStart = load();
  const lab = await createPgSwitchoverLab(url);
  const version = await (async () => {
    const c = await lab.servers[0]!.connect(APP_DATABASE);
    const v = (await c.query<{ v: string }>(`SELECT current_setting('server_version') AS v`)).rows[0]!.v;
    await c.end();
    return v;
  })();
  const worker = startWorker({ databaseUrl: lab.db.url, workerId: "bench", concurrency: 1, leaseMs: 5_000, pollMs: 200, enqueueApproved: false, driver: lab.driver() });
  await worker.ready;
  const writer = startWriter(lab, 10);
  const meridian: { totalMs: number; engineMs: number; actionsMs: number; unavailableMs: number }[] = [];
  const hand: { totalMs: number; unavailableMs: number }[] = [];
  const problems: string[] = [];
  const retries: string[] = [];
  try {
    await new Promise((r) => setTimeout(r, 500));
    for (let i = 0; i < N; i++) {
      // Meridian
      // Filed and approved beforehand (planning is not part of a switchover): timed from the enqueue.
      const { requestId } = await fileSwitchover(lab, { enqueue: false });
      const t0 = Date.now();
      const started = performance.now();
      const { executionId } = await enqueueExecution(lab.db.pool, requestId);
      for (;;) {
        const { rows } = await lab.db.pool.query<{ status: string }>(`SELECT status::text AS status FROM execution WHERE id = $1`, [executionId]);
        if (["SUCCEEDED", "FAILED", "ROLLED_BACK"].includes(rows[0]?.status ?? "")) break;
        await new Promise((r) => setTimeout(r, 5));
      }
      const totalMs = performance.now() - started;
      const view = await getExecution(lab.db.pool, executionId);
      if (view.status !== "SUCCEEDED") problems.push(`Meridian switchover ${i + 1} ended ${view.status}: ${view.error}`);
      for (const line of view.steps.flatMap((st) => st.log.filter((l) => /failed/.test(l)).map((l) => `${st.action}: ${l}`)))
        retries.push(`switchover ${i + 1}: ${line}`);
      const engineMs = view.startedAt && view.finishedAt ? view.finishedAt.getTime() - view.startedAt.getTime() : NaN;
      // Time spent inside the step actions (SQL on the servers and the metadata rows), from each step's log.
      const actionsMs = view.steps
        .flatMap((st) => st.log)
        .map((l) => /succeeded in ([\d.]+) (ms|s)\b/.exec(l))
        .reduce((sum, m) => sum + (m ? Number(m[1]) * (m[2] === "s" ? 1000 : 1) : 0), 0);
      await new Promise((r) => setTimeout(r, 400));
      meridian.push({ totalMs, engineMs, actionsMs, unavailableMs: unavailability(writer.gaps(), t0, Date.now()) });
      // By hand
      const h0 = Date.now();
      const handMs = await handSwitchover(lab);
      await new Promise((r) => setTimeout(r, 400));
      hand.push({ totalMs: handMs, unavailableMs: unavailability(writer.gaps(), h0, Date.now()) });
      process.stdout.write(`.${i + 1}`);
    }
    process.stdout.write("\n");
  } finally {
    await writer.stop();
    await worker.stop();
  }
  const topology = await checkTopology(lab);
  problems.push(...topology.problems);
  for (const [i, s] of lab.servers.entries()) {
    let missing = await missingRows(s, writer.committed);
    for (let tries = 0; missing.length && tries < 100; tries++) {
      await new Promise((r) => setTimeout(r, 100)); // the replica may still be applying the last writes
      missing = await missingRows(s, writer.committed);
    }
    if (missing.length) problems.push(`${missing.length} committed rows missing on server ${i}`);
  }
  await lab.stop();
  if (meta) await meta.stop();
  if (metaDir) rmSync(metaDir, { recursive: true, force: true });

  const m = summary(meridian.map((x) => x.totalMs));
  const e = summary(meridian.map((x) => x.engineMs));
  const a = summary(meridian.map((x) => x.actionsMs));
  const h = summary(hand.map((x) => x.totalMs));
  const mu = summary(meridian.map((x) => x.unavailableMs));
  const hu = summary(hand.map((x) => x.unavailableMs));
  const f = (x: number) => `${Math.round(x)} ms`;
  console.log(`PostgreSQL ${version} (managed servers), ${N} switchovers each way, writer every 10 ms (${writer.committed.length} rows committed, none lost: ${problems.length === 0})`);
  console.log(`load average at start: ${loadStart}; at end: ${load()} (${os.cpus().length} CPUs)`);
  console.log(`write unavailability   Meridian p50 ${f(mu.p50)}  p95 ${f(mu.p95)}  max ${f(mu.max)}   | by hand p50 ${f(hu.p50)}  p95 ${f(hu.p95)}  max ${f(hu.max)}`);
  console.log(`total switchover time  Meridian p50 ${f(m.p50)}  p95 ${f(m.p95)} (engine start->finish p50 ${f(e.p50)}, of which inside the step actions ${f(a.p50)})   | by hand p50 ${f(h.p50)}  p95 ${f(h.p95)}`);
  console.log(`ratio Meridian / by hand (p50): ${(m.p50 / h.p50).toFixed(2)}x   (p95: ${(m.p95 / h.p95).toFixed(2)}x)`);
  if (retries.length) console.log(`step attempts that failed (then retried):\n  ${retries.join("\n  ")}`);
  if (problems.length) {
    console.log(`PROBLEMS:\n  ${problems.join("\n  ")}`);
    process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
