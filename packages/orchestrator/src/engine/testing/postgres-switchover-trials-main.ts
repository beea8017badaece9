/**
 * All kill -9 trials of SWITCHOVER on real servers (the CI test runs a subset):
 *   pnpm --filter @meridian/orchestrator exec tsx src/engine/testing/postgres-switchover-trials-main.ts [--database-url URL] [--only N]
 * The metadata database server defaults to the machine's PostgreSQL (postgresql://postgres@127.0.0.1:5432/postgres).
 */
import { parseArgs } from "node:util";
import { ALL_PG_TRIALS, runPgSwitchoverTrial } from "./postgres-switchover-trials";
import { createPgSwitchoverLab } from "./postgres-switchover-lab";

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2).filter((a) => a !== "--"),
    options: { "database-url": { type: "string" }, only: { type: "string" } },
  });
  const url = values["database-url"] ?? "postgresql://postgres@127.0.0.1:5432/postgres";
  const trials = values.only ? ALL_PG_TRIALS.slice(0, Number(values.only)) : ALL_PG_TRIALS;
  const lab = await createPgSwitchoverLab(url);
  const started = Date.now();
  let failed = 0;
  try {
    for (const spec of trials) {
      const r = await runPgSwitchoverTrial(lab, spec, { log: (line) => console.log(line) });
      if (r.problems.length) failed += 1;
    }
  } finally {
    await lab.stop();
  }
  console.log(`${trials.length - failed}/${trials.length} trials passed in ${Math.round((Date.now() - started) / 1000)} s`);
  process.exit(failed ? 1 : 0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
