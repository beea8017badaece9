import { cpSync, mkdtempSync, readFileSync, writeFileSync, mkdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { createEmptyDatabase, queryTestServer } from "../testing";
import { MigrationAdapterFactory } from "./adapter-factory";
import { connectionConfig } from "./connection-config";
import { applyMigrations, checkDrift, createMigration, getMigrationStatus, prismaPaths, type TPrismaPaths } from "./index";

/** A scratch copy of prisma/ so tests can edit the schema and the migrations freely. */
function scratchPrisma(): TPrismaPaths & { dir: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), "meridian-prisma-"));
  const real = prismaPaths();
  cpSync(path.dirname(real.schemaPath), dir, { recursive: true });
  return { dir, schemaPath: path.join(dir, "schema.prisma"), migrationsDir: path.join(dir, "migrations") };
}

async function query(url: string, sql: string, params: unknown[] = []) {
  const client = new pg.Client(connectionConfig(url));
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as Array<Record<string, unknown>>;
  } finally {
    await client.end();
  }
}

const tables = async (url: string) =>
  (await query(url, "select tablename from pg_tables where schemaname = 'public' order by 1")).map((r) => r.tablename);
const shadowDatabases = async () =>
  (await queryTestServer("select datname from pg_database where datname like 'meridian_shadow_%'")).map((r) => r.datname);

describe("migration runner (WebAssembly schema engine, real PostgreSQL)", () => {
  let db: Awaited<ReturnType<typeof createEmptyDatabase>>;
  let scratch: ReturnType<typeof scratchPrisma>;
  beforeEach(async () => {
    db = await createEmptyDatabase();
    scratch = scratchPrisma();
  });
  afterEach(async () => {
    await db.drop();
    rmSync(scratch.dir, { recursive: true, force: true });
  });
  afterAll(async () => {
    expect(await shadowDatabases()).toEqual([]);
  });

  it("applies every migration on an empty database, then reports it up to date", async () => {
    const applied = await applyMigrations(db.url, { paths: scratch });
    expect(applied.length).toBeGreaterThanOrEqual(2);
    expect(await tables(db.url)).toEqual(expect.arrayContaining(["data_center", "cluster", "instance", "audit_event"]));
    const status = await getMigrationStatus(db.url, scratch);
    expect(status).toMatchObject({ upToDate: true, pending: [], failed: [], edited: [] });
    expect(await applyMigrations(db.url, { paths: scratch })).toEqual([]);
  });

  it("runs a migration with a $$ function body whole: the audit table refuses UPDATE and DELETE", async () => {
    await applyMigrations(db.url, { paths: scratch });
    await query(db.url, `insert into audit_event (action, target_type, prev_hash, hash) values ('t', 't', '0', 'h1')`);
    await expect(query(db.url, `update audit_event set action = 'x'`)).rejects.toThrow(/append-only/);
    await expect(query(db.url, `delete from audit_event`)).rejects.toThrow(/append-only/);
    expect(await query(db.url, "select action from audit_event")).toEqual([{ action: "t" }]);
  });

  it("never lets the shadow database be the main one, and drops it after closing its pool", async () => {
    await applyMigrations(db.url, { paths: scratch });
    const before = await tables(db.url);
    const factory = new MigrationAdapterFactory(db.url);
    const shadow = await factory.connectToShadowDb();
    const current = await shadow.queryRaw({ sql: "select current_database()", args: [], argTypes: [] });
    expect(current.rows[0]?.[0]).not.toBe(db.name);
    expect(current.rows[0]?.[0]).toMatch(/^meridian_shadow_/);
    await shadow.executeScript("create table only_in_shadow (id int)");
    await shadow.dispose();
    await factory.close();
    expect(factory.shadowEvents.map((e) => e.kind)).toEqual(["created", "dropped"]);
    expect(await tables(db.url)).toEqual(before);
    expect(await shadowDatabases()).toEqual([]);
  });

  it("detects drift after an unmigrated schema change without touching the main database", async () => {
    await applyMigrations(db.url, { paths: scratch });
    const before = await tables(db.url);
    expect(await checkDrift(db.url, { paths: scratch })).toMatchObject({ drifted: false });
    const schema = readFileSync(scratch.schemaPath, "utf8");
    writeFileSync(scratch.schemaPath, schema.replace("model Team {", "model Team {\n  costCenter String?"));
    const drift = await checkDrift(db.url, { paths: scratch });
    expect(drift.drifted).toBe(true);
    expect(drift.script).toMatch(/ALTER TABLE "team" ADD COLUMN\s+"costCenter" TEXT/);
    // Pitfall 1: the diff ran on a shadow database, never on the main one.
    expect(await tables(db.url)).toEqual(before);
    const columns = await query(db.url, "select column_name from information_schema.columns where table_name = 'team'");
    expect(columns.map((c) => c.column_name)).not.toContain("costCenter");
  });

  it("creates a migration for a schema change (reading pg's internal \"char\" type), then applies it", async () => {
    await applyMigrations(db.url, { paths: scratch });
    const schema = readFileSync(scratch.schemaPath, "utf8");
    writeFileSync(scratch.schemaPath, schema.replace("model Team {", "model Team {\n  costCenter String?"));
    const created = await createMigration(db.url, "team_cost_center", { paths: scratch });
    expect(created.name).toMatch(/^\d{14}_team_cost_center$/);
    expect(created.sql).toContain('"costCenter"');
    expect(await getMigrationStatus(db.url, scratch)).toMatchObject({ upToDate: false, pending: [created.name] });
    expect(await applyMigrations(db.url, { paths: scratch })).toEqual([created.name]);
    expect(await checkDrift(db.url, { paths: scratch })).toMatchObject({ drifted: false });
    // Nothing left to create once schema and migrations agree.
    expect((await createMigration(db.url, "nothing", { paths: scratch })).name).toBeNull();
  });

  it("applies a failing migration atomically and reports it failed", async () => {
    await applyMigrations(db.url, { paths: scratch });
    const dir = path.join(scratch.migrationsDir, "29990101000000_broken");
    mkdirSync(dir);
    writeFileSync(path.join(dir, "migration.sql"), "CREATE TABLE half_done (id int);\nSELECT 1/0;\n");
    await expect(applyMigrations(db.url, { paths: scratch })).rejects.toThrow();
    expect(await tables(db.url)).not.toContain("half_done");
    expect(await getMigrationStatus(db.url, scratch)).toMatchObject({ upToDate: false, failed: ["29990101000000_broken"] });
  });

  it("flags an applied migration whose file was edited", async () => {
    await applyMigrations(db.url, { paths: scratch });
    const status = await getMigrationStatus(db.url, scratch);
    const first = status.applied[0]!;
    const file = path.join(scratch.migrationsDir, first, "migration.sql");
    writeFileSync(file, readFileSync(file, "utf8") + "\n-- edited after the fact\n");
    expect(await getMigrationStatus(db.url, scratch)).toMatchObject({ upToDate: false, edited: [first] });
  });

  it("leaves no connection open to the database after it finishes", async () => {
    await applyMigrations(db.url, { paths: scratch });
    await checkDrift(db.url, { paths: scratch });
    const open = await queryTestServer("select count(*)::int as n from pg_stat_activity where datname = $1", [db.name]);
    expect(open[0]?.n).toBe(0);
  });
});
