import { randomBytes } from "node:crypto";
import { afterAll, beforeAll } from "vitest";
import { testServerUrl } from "@meridian/db/testing";
import { createFleetDriver } from "@meridian/fleet";
import { startTestServers, type TTestServer } from "@meridian/fleet/testing";
import { startWorker, type TWorker } from "../worker";
import { createSeededDatabase, type TTrialDatabase } from "./fixtures";
import { createPgSwitchoverLab, type TPgSwitchoverLab } from "./postgres-switchover-lab";

/**
 * The set-up the engine's tests on real servers share, as vitest hooks (call at the top of a
 * test file). Only for tests: it imports vitest.
 */

export interface TTwoRealServers {
  db: TTrialDatabase;
  servers: TTestServer[];
  /** The credential key the test registers its instances with (the worker's driver decrypts with it). */
  readonly key: Buffer;
  worker: TWorker | null;
  /** Starts the worker (fleet driver, simulated steps at zero duration) and waits until it listens. */
  startWorker: (workerId: string) => Promise<TWorker>;
}

/** A seeded metadata database and two embedded PostgreSQL servers; the worker a test starts is stopped after. */
export function useTwoRealServers(): TTwoRealServers {
  let stopServers: (() => Promise<void>) | undefined;
  const env: TTwoRealServers = {
    db: undefined as unknown as TTrialDatabase,
    servers: [],
    key: randomBytes(32),
    worker: null,
    startWorker: async (workerId) => {
      const worker = startWorker({
        databaseUrl: env.db.url,
        workerId,
        concurrency: 1,
        leaseMs: 5_000,
        pollMs: 100,
        driver: createFleetDriver({ credentialKey: env.key, simulated: { durationScale: 0 } }),
        enqueueApproved: false,
        stopTimeoutMs: 3_000,
      });
      env.worker = worker;
      await worker.ready;
      return worker;
    },
  };
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
