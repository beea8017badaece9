import { afterAll, beforeAll } from "vitest";
import { testServerUrl } from "@meridian/db/testing";
import { startTestServers, type TTestServer } from "@meridian/fleet/testing";
import { startWorker, type TWorker } from "../worker";
import { createSeededDatabase, type TTrialDatabase } from "./fixtures";
import { createPgSwitchoverLab, type TPgSwitchoverLab } from "./postgres-switchover-lab";

/**
 * The set-up the engine's tests on real servers share, as vitest hooks (call at the top of a
 * test file). Only for tests: it imports vitest.
 */

/** A seeded metadata database and two embedded PostgreSQL servers; a worker the test starts is stopped after. */
export function useTwoRealServers(): {
  readonly db: TTrialDatabase;
  readonly servers: TTestServer[];
  worker: TWorker | null;
} {
  const env = {
    db: undefined as unknown as TTrialDatabase,
    servers: [] as TTestServer[],
    worker: null as TWorker | null,
  };
  let stopServers: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    const [database, started] = await Promise.all([
      createSeededDatabase(testServerUrl(), { instances: 40 }),
      startTestServers([{}, {}]),
    ]);
    env.db = database;
    env.servers = started.servers;
    stopServers = started.stop;
  });
  afterAll(async () => {
    await env.worker?.stop();
    await env.db?.drop();
    await stopServers?.();
  });
  return env;
}

/** The switchover lab (`members` servers) with one listening worker on its fleet driver. */
export function useSwitchoverLab(
  workerId: string,
  members = 2,
): { readonly lab: TPgSwitchoverLab; readonly worker: TWorker } {
  const env = { lab: undefined as unknown as TPgSwitchoverLab, worker: undefined as unknown as TWorker };
  beforeAll(async () => {
    env.lab = await createPgSwitchoverLab(testServerUrl(), members);
    env.worker = startWorker({
      databaseUrl: env.lab.db.url,
      workerId,
      concurrency: 1,
      leaseMs: 2_000,
      pollMs: 50,
      enqueueApproved: false,
      driver: env.lab.driver(),
    });
    await env.worker.ready;
  }, 120_000);
  afterAll(async () => {
    await env.worker?.stop();
    await env.lab?.stop();
  });
  return env;
}
