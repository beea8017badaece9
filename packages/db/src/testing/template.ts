import { createHash } from "node:crypto";
import pg from "pg";
import { applyMigrations } from "../migrations";
import { connectionConfig, withDatabase } from "../migrations/connection-config";
import { readMigrations } from "../migrations/migrations-dir";
import { prismaPaths } from "../migrations/paths";

/** The template's name changes whenever a migration changes, so stale templates are never used. */
export function templateName(): string {
  const hash = createHash("sha256");
  for (const m of readMigrations(prismaPaths().migrationsDir)) hash.update(m.name).update(m.checksum);
  return `meridian_template_${hash.digest("hex").slice(0, 12)}`;
}

/** Creates and migrates the template database on `serverUrl` once (safe under concurrency). */
export async function ensureTemplate(serverUrl: string): Promise<string> {
  const name = templateName();
  const client = new pg.Client(connectionConfig(serverUrl));
  await client.connect();
  try {
    await client.query("select pg_advisory_lock(727001)");
    const exists = await client.query("select 1 from pg_database where datname = $1", [name]);
    if (exists.rowCount === 0) {
      const building = `${name}_building`;
      await client.query(`DROP DATABASE IF EXISTS "${building}" WITH (FORCE)`);
      await client.query(`CREATE DATABASE "${building}"`);
      await applyMigrations(withDatabase(serverUrl, building));
      await client.query(`ALTER DATABASE "${building}" RENAME TO "${name}"`);
    }
    return name;
  } finally {
    await client.query("select pg_advisory_unlock(727001)").catch(() => {});
    await client.end();
  }
}
