import { mkdirSync, writeFileSync, existsSync, readFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { MigrationAdapterFactory } from "./adapter-factory";
import { connectionConfig, withDatabase } from "./connection-config";
import { LOCKFILE, LOCKFILE_CONTENT, migrationList } from "./migrations-dir";
import { prismaPaths, type TPrismaPaths } from "./paths";
import { migrationStatus, type TMigrationStatus } from "./status";
import { openSchemaEngine, type TSchemaEngine } from "./wasm-engine";

export { MigrationAdapterFactory } from "./adapter-factory";
export { connectionConfig, redactUrl, withDatabase } from "./connection-config";
export { findRepoRoot, prismaPaths, type TPrismaPaths } from "./paths";
export { readMigrations } from "./migrations-dir";
export { migrationStatus, type TMigrationStatus, type TQuery } from "./status";

const NO_FILTER = { externalTables: [], externalEnums: [] };

export interface TEngineOptions {
  paths?: TPrismaPaths;
  log?: (line: string) => void;
}

/**
 * Prisma 7.10.1's schema describer panics on PostgreSQL 18 catalogs (NOT NULL constraints
 * moved into pg_constraint), and a WebAssembly panic leaves the promise hanging. Commands
 * that describe a database (drift, create) refuse 18+ with a readable message instead.
 */
async function assertDescribable(url: string): Promise<void> {
  const client = new pg.Client(connectionConfig(url));
  await client.connect();
  try {
    const row = (await client.query("select current_setting('server_version_num')::int as v")).rows[0] as { v: number };
    if (row.v >= 180000) {
      throw new Error(
        `PostgreSQL ${Math.floor(row.v / 10000)} cannot be described by Prisma 7.10.1's schema engine: ` +
          "run drift checks and create migrations on PostgreSQL 14-17 (the embedded server is 17). Applying migrations works.",
      );
    }
    if (row.v < 140000) throw new Error("Meridian needs PostgreSQL 14 or newer");
  } finally {
    await client.end();
  }
}

/** Opens the engine on `url`, runs `fn`, then frees the engine and closes every pool. */
async function withEngine<T>(
  url: string,
  options: TEngineOptions,
  fn: (engine: TSchemaEngine, factory: MigrationAdapterFactory, paths: TPrismaPaths) => Promise<T>,
): Promise<T> {
  const paths = options.paths ?? prismaPaths();
  const factory = new MigrationAdapterFactory(url);
  const engine = await openSchemaEngine(paths.schemaPath, factory, options.log);
  try {
    return await fn(engine, factory, paths);
  } finally {
    engine.free();
    await factory.close();
  }
}

/** `db:migrate`: applies pending migrations (Prisma's `migrate deploy`). */
export async function applyMigrations(url: string, options: TEngineOptions = {}): Promise<string[]> {
  return withEngine(url, options, async (engine, _factory, paths) => {
    const out = await engine.applyMigrations({ migrationsList: migrationList(paths.migrationsDir), filters: NO_FILTER });
    return out.appliedMigrationNames;
  });
}

export interface TCreatedMigration {
  name: string | null;
  path: string | null;
  sql: string | null;
}

/**
 * `db:migrate:create --name x`: writes a new migration folder with the SQL that takes the
 * migrations' schema to schema.prisma. Computed on a shadow database (never the main one).
 * Returns name null when there is nothing to migrate.
 */
export async function createMigration(
  url: string,
  name: string,
  options: TEngineOptions & { draft?: boolean } = {},
): Promise<TCreatedMigration> {
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error("migration name: use lower-case letters, digits and _ only");
  await assertDescribable(url);
  return withEngine(url, options, async (engine, _factory, paths) => {
    const migrationsList = migrationList(paths.migrationsDir);
    // Without this call first, createMigration reports that no shadow database was provided.
    await engine.devDiagnostic({ migrationsList, filters: NO_FILTER });
    const schema = { files: [{ path: paths.schemaPath, content: readFileSync(paths.schemaPath, "utf8") }] };
    const out = await engine.createMigration({
      draft: options.draft ?? false,
      migrationName: name,
      migrationsList,
      schema,
      filters: NO_FILTER,
    });
    if (!out.migrationScript) return { name: null, path: null, sql: null };
    const dir = path.join(paths.migrationsDir, out.generatedMigrationName);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, "migration.sql"), out.migrationScript);
    const lock = path.join(paths.migrationsDir, LOCKFILE);
    if (!existsSync(lock)) writeFileSync(lock, LOCKFILE_CONTENT);
    return { name: out.generatedMigrationName, path: dir, sql: out.migrationScript };
  });
}

export interface TDrift {
  drifted: boolean;
  /** SQL that would take the migrations' schema to schema.prisma (empty when no drift). */
  script: string;
}

/**
 * Drift check: replays every migration on a shadow database and diffs the result against
 * schema.prisma. Any difference means schema.prisma changed without a migration.
 */
export async function checkDrift(url: string, options: TEngineOptions = {}): Promise<TDrift> {
  await assertDescribable(url);
  return withEngine(url, options, async (engine, _factory, paths) => {
    const out = await engine.diff({
      from: { tag: "migrations", ...migrationList(paths.migrationsDir) },
      to: { tag: "schemaDatamodel", files: [{ path: paths.schemaPath, content: readFileSync(paths.schemaPath, "utf8") }] },
      script: true,
      exitCode: true,
      filters: NO_FILTER,
    });
    const script = (out.stdout ?? "").trim();
    const meaningful = script.replace(/--.*$/gm, "").trim();
    return { drifted: meaningful.length > 0, script };
  });
}

async function onServer<T>(serverUrl: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client(connectionConfig(serverUrl));
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

const safeName = (name: string) => {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`invalid database name: ${name}`);
  return name;
};

/** Creates database `name` on the server of `serverUrl` unless it exists; returns its URL. */
export async function ensureDatabase(serverUrl: string, name: string): Promise<string> {
  await onServer(serverUrl, async (client) => {
    const found = await client.query("select 1 from pg_database where datname = $1", [name]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE "${safeName(name)}"`);
  });
  return withDatabase(serverUrl, name);
}

/** Drops (disconnecting everyone) and re-creates database `name`; returns its URL. */
export async function recreateDatabase(serverUrl: string, name: string): Promise<string> {
  await onServer(serverUrl, async (client) => {
    await client.query(`DROP DATABASE IF EXISTS "${safeName(name)}" WITH (FORCE)`);
    await client.query(`CREATE DATABASE "${safeName(name)}"`);
  });
  return withDatabase(serverUrl, name);
}

/** `db:status`: which migrations are applied, pending, edited or failed. */
export async function getMigrationStatus(url: string, paths: TPrismaPaths = prismaPaths()): Promise<TMigrationStatus> {
  const client = new pg.Client(connectionConfig(url));
  await client.connect();
  try {
    return await migrationStatus(async (sql) => (await client.query(sql)).rows, paths.migrationsDir);
  } finally {
    await client.end();
  }
}
