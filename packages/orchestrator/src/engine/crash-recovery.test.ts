import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testServerUrl } from "@meridian/db/testing";
import { CI_TRIALS, runCrashTrial, type TTrialResult } from "./testing/crash-trials";
import { createSeededDatabase, type TTrialDatabase } from "./testing/fixtures";

/**
 * Crash recovery with real processes: each trial runs a worker process (tsx worker-main.ts),
 * kills it with SIGKILL at a step boundary, before a commit or mid-step (or terminates its
 * database connections), lets another worker take over after the lease (1 s) expires, and checks
 * the ledger and the fleet. `pnpm --filter @meridian/orchestrator soak -- --trials 100` runs more.
 */
let db: TTrialDatabase;
const results: TTrialResult[] = [];

beforeAll(async () => {
  db = await createSeededDatabase(testServerUrl(), { instances: 80 });
});

afterAll(async () => {
  if (results.length) {
    const lines = results.map(
      (r) => `${r.problems.length ? "FAIL" : "ok  "} ${r.status.padEnd(11)} recovery ${r.recoveryMs === null ? "  -  " : `${r.recoveryMs} ms`.padStart(7)}  ${r.durationMs} ms  ${r.name}`,
    );
    console.log(`crash trials:\n${lines.join("\n")}`);
  }
  await db?.drop();
});

describe("crash recovery (worker processes killed with SIGKILL)", () => {
  it(`survives ${CI_TRIALS.length} crash trials: nothing applied twice, no step lost, every execution settles`, async () => {
    for (const spec of CI_TRIALS) {
      const result = await runCrashTrial(db, spec, { leaseMs: 1_000, stepMs: 300 });
      results.push(result);
      expect.soft(result.problems, spec.name).toEqual([]);
      if (result.recoveryMs !== null) expect.soft(result.recoveryMs, spec.name).toBeLessThan(60_000);
    }
    expect(results.filter((r) => r.problems.length === 0)).toHaveLength(CI_TRIALS.length);
  }, 180_000);
});
