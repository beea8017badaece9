import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testServerUrl } from "@meridian/db/testing";
import { CI_PG_TRIALS, type TPgTrialResult, runPgSwitchoverTrial } from "./testing/postgres-switchover-trials";
import { createPgSwitchoverLab, type TPgSwitchoverLab } from "./testing/postgres-switchover-lab";

/**
 * kill -9 of a real worker process inside switchover steps on two real PostgreSQL servers, while
 * an application writes every 10 ms. CI runs the riskiest trials (server changed, inventory not
 * committed; mid-step; during a rollback); all 23 run with
 * `pnpm --filter @meridian/orchestrator exec tsx src/engine/testing/postgres-switchover-trials-main.ts`.
 */
let lab: TPgSwitchoverLab;
const results: TPgTrialResult[] = [];

beforeAll(async () => {
  lab = await createPgSwitchoverLab(testServerUrl());
}, 120_000);

afterAll(async () => {
  if (results.length)
    console.log(`postgres switchover trials:\n${results.map((r) => `${r.problems.length ? "FAIL" : "ok  "} ${r.status.padEnd(11)} ${r.durationMs} ms  ${r.name}`).join("\n")}`);
  await lab?.stop();
});

describe("SWITCHOVER on real servers survives kill -9 of the worker", () => {
  it(`${CI_PG_TRIALS.length} trials: one writable primary, replication one way, no committed row lost`, async () => {
    for (const spec of CI_PG_TRIALS) {
      const result = await runPgSwitchoverTrial(lab, spec);
      results.push(result);
      expect.soft(result.problems, spec.name).toEqual([]);
    }
    expect(results.filter((r) => r.problems.length === 0)).toHaveLength(CI_PG_TRIALS.length);
  }, 300_000);
});
