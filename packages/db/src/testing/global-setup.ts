/**
 * Vitest global setup for every package with database tests. Uses TEST_DATABASE_URL when set
 * (the root test runner starts one PostgreSQL for the whole suite); otherwise starts an
 * ephemeral embedded PostgreSQL for this run. Then builds the migrated template database.
 */
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { startEmbeddedPostgres } from "../embedded";
import { resetEnvCache } from "../env";
import { ensureTemplate } from "./template";

export default async function setup(): Promise<() => Promise<void>> {
  let stop: (() => Promise<void>) | undefined;
  let dir: string | undefined;
  if (!process.env.TEST_DATABASE_URL) {
    dir = mkdtempSync(path.join(os.tmpdir(), "meridian-test-pg-"));
    chmodSync(dir, 0o755); // the embedded server runs as the postgres user when we are root
    const pg = await startEmbeddedPostgres({ dataDir: path.join(dir, "data"), port: 0, ephemeral: true });
    process.env.TEST_DATABASE_URL = pg.url;
    resetEnvCache();
    stop = pg.stop;
  }
  await ensureTemplate(process.env.TEST_DATABASE_URL!);
  return async () => {
    await stop?.();
    if (dir) rmSync(dir, { recursive: true, force: true });
  };
}
