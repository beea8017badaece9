/**
 * CPU per engine step: the measure that survives a shared machine. Queues `--executions`
 * ADD_REPLICA executions (simulated driver at zero step duration), drains them with one worker
 * process, and reads from /proc the CPU time the worker and its own PostgreSQL backends (those
 * connected to the trial database) spent while draining. Linux only; the database server must
 * be on this machine.
 *
 *   npx tsx bench/engine-cpu.ts [--executions 500] [--concurrency 8] [--server-url URL] [--cpu-prof DIR]
 *
 * `--cpu-prof DIR` writes the worker's V8 CPU profile there (open it in Chrome's DevTools).
 */
import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { enqueueExecution } from "../packages/orchestrator/src/engine/index.ts";
import { createSeededDatabase, fileAddReplicaRequests } from "../packages/orchestrator/src/engine/testing/fixtures.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const ORCHESTRATOR = path.join(ROOT, "packages/orchestrator");

const { values } = parseArgs({
  args: process.argv.slice(2).filter((a) => a !== "--"),
  options: {
    executions: { type: "string", default: "500" },
    concurrency: { type: "string", default: "8" },
    "server-url": { type: "string", default: "postgresql://postgres@127.0.0.1:5432/postgres" },
    "cpu-prof": { type: "string" },
  },
});

const TICK = 100; // USER_HZ

/** utime + stime of a process, in seconds. */
function cpuOf(pid: string | number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) / TICK;
}

/** CPU of the PostgreSQL backends connected to `database` (their command line names it). */
function backendsCpu(database: string): number {
  let total = 0;
  for (const pid of readdirSync("/proc")) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      if (!readFileSync(`/proc/${pid}/stat`, "utf8").includes("(postgres)")) continue;
      if (!readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(database)) continue;
      total += cpuOf(pid);
    } catch {
      // gone meanwhile
    }
  }
  return total;
}

async function main(): Promise<void> {
  const executions = Number(values.executions);
  console.log(`engine CPU per step: load ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`);
  const db = await createSeededDatabase(values["server-url"]!, { instances: 2000, poolMax: 10 });
  try {
    const version = (await db.pool.query<{ v: string }>(`SELECT current_setting('server_version') AS v`)).rows[0]?.v;
    const reqs = await fileAddReplicaRequests(db.pool, executions);
    const ids: string[] = [];
    for (const r of reqs) ids.push((await enqueueExecution(db.pool, r.requestId)).executionId);
    // Statistics as a running server has them (autoanalyze; some test servers run without it).
    await db.pool.query("ANALYZE");
    const profile = values["cpu-prof"] ? ["--cpu-prof", "--cpu-prof-dir", values["cpu-prof"]] : [];
    const child = spawn(
      process.execPath,
      ["--import", "tsx", ...profile, path.join(ORCHESTRATOR, "src/engine/worker-main.ts"), "--database-url", db.url, "--worker-id", "cpu",
        "--concurrency", values.concurrency!, "--duration-scale", "0", "--quiet"],
      { cwd: ORCHESTRATOR, stdio: ["ignore", "pipe", "ignore"] },
    );
    // The worker claims at once: measure from its start (its own start-up CPU is subtracted).
    await new Promise<void>((resolve) => child.stdout!.on("data", (d: Buffer) => /ready/.test(String(d)) && resolve()));
    const worker0 = cpuOf(child.pid!);
    const backends0 = backendsCpu(db.name);
    for (;;) {
      const { rows } = await db.pool.query<{ open: number }>(
        `SELECT count(*)::int AS open FROM execution WHERE id = ANY($1::uuid[]) AND status NOT IN ('SUCCEEDED', 'ROLLED_BACK', 'FAILED', 'CANCELLED')`,
        [ids],
      );
      if (rows[0]!.open === 0) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const worker = cpuOf(child.pid!) - worker0;
    const backends = backendsCpu(db.name) - backends0;
    child.kill("SIGINT");
    await new Promise((r) => child.on("exit", r));
    const { rows } = await db.pool.query<{ steps: number; first: Date; last: Date }>(
      `SELECT count(*)::int AS steps, min(started_at) AS first, max(finished_at) AS last FROM execution_step
        WHERE execution_id = ANY($1::uuid[]) AND status IN ('SUCCEEDED', 'COMPENSATED', 'FAILED')`,
      [ids],
    );
    const r = rows[0]!;
    const seconds = (r.last.getTime() - r.first.getTime()) / 1000;
    const per = (cpu: number) => ((cpu / r.steps) * 1000).toFixed(2);
    console.log(`PostgreSQL ${version}; ${r.steps} steps in ${seconds.toFixed(2)} s (${(r.steps / seconds).toFixed(0)} steps/s)`);
    console.log(`CPU per step: ${per(worker + backends)} ms (worker ${per(worker)} ms, its PostgreSQL backends ${per(backends)} ms)`);
    console.log(`load average at the end: ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`);
  } finally {
    await db.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
