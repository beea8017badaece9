/**
 * Crash soak: `pnpm --filter @meridian/orchestrator soak -- --trials 100`.
 * Runs random crash trials (see testing/crash-trials.ts): worker processes killed with SIGKILL at
 * random engine points, mid-step, or cut off from the database, during forward runs and
 * rollbacks, sometimes twice in a row; after each, the invariants are checked. Prints one line
 * per trial and a summary; exits 1 if any trial broke an invariant.
 *
 *   --trials N           default 100
 *   --server-url URL     a PostgreSQL server to create throw-away databases on (default: an
 *                        embedded PostgreSQL 17 started for the run)
 *   --lease-ms N         lease of the killed workers (default 1000)
 *   --step-ms N          duration of each simulated action for mid-step kills (default 300)
 *   --seed N             random seed (default: the time)
 *
 * Heavy: on a shared machine wrap it with `flock /tmp/meridian-heavy.lock`.
 */
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { startEmbeddedPostgres } from "@meridian/db/embedded";
import { randomTrial, runCrashTrial, type TTrialResult } from "./testing/crash-trials";
import { createSeededDatabase, type TTrialDatabase } from "./testing/fixtures";

const TRIALS_PER_DATABASE = 40;

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2).filter((a) => a !== "--"),
    options: {
      trials: { type: "string", default: "100" },
      "server-url": { type: "string" },
      "lease-ms": { type: "string", default: "1000" },
      "step-ms": { type: "string", default: "300" },
      seed: { type: "string" },
    },
  });
  const trials = Number(values.trials);
  const leaseMs = Number(values["lease-ms"]);
  const stepMs = Number(values["step-ms"]);
  const seed = values.seed !== undefined ? Number(values.seed) : Date.now() % 1_000_000;
  if (![trials, leaseMs, stepMs, seed].every((n) => Number.isFinite(n) && n >= 0)) throw new Error("numeric options only");

  let serverUrl = values["server-url"];
  let stopServer: (() => Promise<void>) | null = null;
  let dir: string | null = null;
  if (!serverUrl) {
    dir = mkdtempSync(path.join(os.tmpdir(), "meridian-soak-pg-"));
    chmodSync(dir, 0o755);
    const server = await startEmbeddedPostgres({ dataDir: path.join(dir, "data"), port: 0, ephemeral: true });
    serverUrl = server.url;
    stopServer = server.stop;
  }

  console.log(`soak: ${trials} crash trials, seed ${seed}, lease ${leaseMs} ms, mid-step actions ${stepMs} ms`);
  const rng = mulberry32(seed);
  const results: TTrialResult[] = [];
  let db: TTrialDatabase | null = null;
  const started = Date.now();
  try {
    for (let n = 1; n <= trials; n++) {
      if (!db || (n - 1) % TRIALS_PER_DATABASE === 0) {
        await db?.drop();
        db = await createSeededDatabase(serverUrl, { instances: 400 });
      }
      const spec = randomTrial(rng, n);
      const result = await runCrashTrial(db, spec, { leaseMs, stepMs });
      results.push(result);
      const recovery = result.recoveryMs === null ? "-" : `${result.recoveryMs} ms`;
      console.log(
        `${result.problems.length ? "FAIL" : "ok  "} ${result.status.padEnd(11)} recovery ${recovery.padStart(8)}  ${String(result.durationMs).padStart(5)} ms  ${spec.name}`,
      );
      for (const p of result.problems) console.log(`       ${p}`);
    }
  } finally {
    await db?.drop().catch(() => {});
    await stopServer?.().catch(() => {});
    if (dir) rmSync(dir, { recursive: true, force: true });
  }

  const failed = results.filter((r) => r.problems.length > 0);
  const recoveries = results.map((r) => r.recoveryMs).filter((r): r is number => r !== null).sort((a, b) => a - b);
  const byStatus = new Map<string, number>();
  for (const r of results) byStatus.set(r.status, (byStatus.get(r.status) ?? 0) + 1);
  console.log(
    [
      "",
      `soak done in ${Math.round((Date.now() - started) / 1000)} s: ${results.length - failed.length}/${results.length} trials kept every invariant`,
      `outcomes: ${[...byStatus].map(([s, c]) => `${s} ${c}`).join(", ")}`,
      `takeover after lease expiry (${recoveries.length} takeovers): p50 ${percentile(recoveries, 50)} ms, p95 ${percentile(recoveries, 95)} ms, max ${recoveries.at(-1) ?? NaN} ms`,
    ].join("\n"),
  );
  process.exit(failed.length ? 1 : 0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
