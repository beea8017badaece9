import { randomBytes, randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TTestDatabase } from "@meridian/db/testing";
import { seedDemo } from "@meridian/db/seed";
import { ActionError, type TActionContext, type TJsonObject, type TStepDriver } from "../driver";
import { createFleetDriver } from "../fleet-driver";
import { listSideEffects } from "../ledger";
import { setLinkPaused, runLinkVerification, storeLinkVerification } from "./link-actions";
import { publicationName, replicationRoleName } from "./names";
import { preflightLink } from "./preflight";
import { meridianObjects, registerTestInstance, startTestServers, type TTestServer } from "./testing";

/**
 * The postgres driver's link actions on real servers: two embedded PostgreSQL servers with
 * wal_level=logical (A, B) and one with wal_level=replica (C); instance rows in a metadata test
 * database point at one database each, with encrypted credentials.
 */
let db: TTestDatabase;
let pool: pg.Pool;
let servers: TTestServer[];
let stopServers: () => Promise<void>;
let driver: TStepDriver;
const key = randomBytes(32);
let clusterId: string;
let dcA: string;
let dcB: string;

beforeAll(async () => {
  const [database, started] = await Promise.all([
    createTestDatabase(),
    startTestServers([{}, {}, { extraFlags: ["-c", "wal_level=replica"] }]),
  ]);
  db = database;
  servers = started.servers;
  stopServers = started.stop;
  await seedDemo(db.prisma, { instances: 20 });
  pool = new pg.Pool({ connectionString: db.url, max: 4 });
  const { rows } = await pool.query<{ cluster_id: string }>(`SELECT id AS cluster_id FROM cluster ORDER BY name LIMIT 1`);
  clusterId = rows[0]!.cluster_id;
  const dcs = await pool.query<{ id: string }>(`SELECT id FROM data_center ORDER BY code LIMIT 2`);
  dcA = dcs.rows[0]!.id;
  dcB = dcs.rows[1]!.id;
  driver = createFleetDriver({ credentialKey: key, simulated: { durationScale: 0 } });
});

afterAll(async () => {
  await pool?.end();
  await db?.drop();
  await stopServers?.();
});

interface TRun {
  output?: TJsonObject;
  error?: unknown;
}

async function run(action: string, input: TJsonObject, ctx: Partial<Pick<TActionContext, "executionId" | "sideEffectId" | "signal" | "phase">> = {}): Promise<TRun> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const output = await driver.actions[action]!.run(
      {
        sql: client,
        executionId: ctx.executionId ?? randomUUID(),
        stepId: "01-step",
        stepIndex: 0,
        phase: ctx.phase ?? "run",
        attempt: 1,
        sideEffectId: ctx.sideEffectId ?? randomUUID(),
        signal: ctx.signal ?? AbortSignal.timeout(30_000),
        log: () => {},
      },
      input,
    );
    await client.query("COMMIT");
    return { output };
  } catch (error) {
    await client.query("ROLLBACK");
    return { error };
  } finally {
    client.release();
  }
}

async function must(action: string, input: TJsonObject, ctx: Parameters<typeof run>[2] = {}): Promise<TJsonObject> {
  const r = await run(action, input, ctx);
  if (r.error) throw r.error;
  return r.output!;
}

async function sqlOn(server: TTestServer, database: string, text: string, values: unknown[] = []): Promise<pg.QueryResult> {
  const c = await server.connect(database);
  try {
    return await c.query(text, values);
  } finally {
    await c.end();
  }
}

/** A fresh database on A and on B, a source instance on A (PRIMARY) and a target on B (STANDBY). */
async function pair(setup: string, options: { target?: TTestServer; targetSetup?: string } = {}) {
  const name = `app_${randomBytes(4).toString("hex")}`;
  const [a] = servers;
  const b = options.target ?? servers[1]!;
  await Promise.all([a!.createDatabase(name), b.createDatabase(name)]);
  await sqlOn(a!, name, setup);
  if (options.targetSetup) await sqlOn(b, name, options.targetSetup);
  const sourceId = await registerTestInstance(pool, { key, clusterId, dataCenterId: dcA, server: a!, database: name, role: "PRIMARY" });
  const targetId = await registerTestInstance(pool, { key, clusterId, dataCenterId: dcB, server: b, database: name, role: "STANDBY" });
  const linkId = randomUUID();
  return { name, a: a!, b, sourceId, targetId, linkId, input: { linkId, clusterId, sourceInstanceId: sourceId, targetInstanceId: targetId, mode: "LOGICAL" } };
}

const SCHEMA = `
  CREATE TABLE orders (id bigserial PRIMARY KEY, customer text NOT NULL, total numeric(12,2) DEFAULT 0, placed_at timestamptz NOT NULL DEFAULT now());
  CREATE SCHEMA billing;
  CREATE TABLE billing.invoices (order_id bigint, line int, amount float8, note text, PRIMARY KEY (order_id, line));
  INSERT INTO orders (customer, total) SELECT 'c' || g, g * 1.5 FROM generate_series(1, 500) g;
  INSERT INTO billing.invoices SELECT g, 1, g / 3.0, NULL FROM generate_series(1, 200) g;`;

async function waitFor<T>(fn: () => Promise<T>, ok: (v: T) => boolean, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (ok(v) || Date.now() > deadline) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
}

const ownObjects = async (server: TTestServer, database: string, linkId: string) =>
  (await meridianObjects(server, database)).filter((o) => o.endsWith(linkId.replace(/-/g, "")));

describe("postgres link actions on real servers", () => {
  it("creates a link that replicates, verifies it, finds a changed row, and drops it leaving nothing", async () => {
    const p = await pair(SCHEMA);
    const executionId = randomUUID();
    const created = await must("createLink", p.input, { executionId, sideEffectId: `${executionId}-create` });
    expect(created.alreadyDone).toBe(false);
    expect(created.tables).toEqual(["billing.invoices", "public.orders"]);
    expect(JSON.stringify(created)).not.toContain(servers[0]!.password);

    // The target had no tables: they were created from the source's catalog (PK, NOT NULL, plain default).
    const cols = await sqlOn(p.b, p.name, `SELECT column_name, is_nullable, column_default FROM information_schema.columns WHERE table_name = 'orders' ORDER BY ordinal_position`);
    expect(cols.rows).toEqual([
      { column_name: "id", is_nullable: "NO", column_default: null },
      { column_name: "customer", is_nullable: "NO", column_default: null },
      { column_name: "total", is_nullable: "YES", column_default: "0" },
      { column_name: "placed_at", is_nullable: "NO", column_default: "now()" },
    ]);

    const caught = await must("waitForCatchUp", { linkId: p.linkId, maxLagSeconds: 5 });
    expect(caught.tables).toBe(2);
    expect((await sqlOn(p.b, p.name, `SELECT count(*)::int AS n FROM orders`)).rows[0].n).toBe(500);

    // A row inserted at the source is read at the target by plain SQL.
    await sqlOn(p.a, p.name, `INSERT INTO orders (customer, total) VALUES ('live-row', 42)`);
    const live = await waitFor(
      () => sqlOn(p.b, p.name, `SELECT customer, total::text FROM orders WHERE customer = 'live-row'`),
      (r) => r.rows.length === 1,
    );
    expect(live.rows).toEqual([{ customer: "live-row", total: "42.00" }]);

    const verified = await must("verifyLink", { linkId: p.linkId, clusterId });
    expect((verified.verification as { ok: boolean }).ok).toBe(true);
    const row = await pool.query(`SELECT status::text AS status, verified_at, verification->'differing' AS differing, lag_bytes FROM replication_link WHERE id = $1`, [p.linkId]);
    expect(row.rows[0]).toMatchObject({ status: "ACTIVE", differing: [] });
    expect(row.rows[0].verified_at).toBeInstanceOf(Date);

    // Idempotent: the same step again is success without acting, and no second ledger row.
    // (a table created on the source since does not slip into the built link)
    await sqlOn(p.a, p.name, `CREATE TABLE late (id int PRIMARY KEY)`);
    const again = await must("createLink", p.input, { executionId, sideEffectId: `${executionId}-create` });
    expect(again.alreadyDone).toBe(true);
    expect(again.tables).toEqual(["billing.invoices", "public.orders"]);
    expect((await listSideEffects(pool, executionId)).map((e) => e.action)).toEqual(["createLink"]);

    // A row changed on the target by hand: verification names that table, and only that one.
    await sqlOn(p.b, p.name, `UPDATE billing.invoices SET note = 'edited by hand' WHERE order_id = 7`);
    const differs = await run("verifyLink", { linkId: p.linkId });
    expect(differs.error).toBeInstanceOf(ActionError);
    expect((differs.error as ActionError).retryable).toBe(false);
    expect((differs.error as Error).message).toMatch(/differs .* in billing\.invoices$/);
    expect((differs.error as ActionError).humanAction).toMatch(/billing\.invoices/);
    // The on-demand verification stores what it found.
    const client = await pool.connect();
    try {
      const v = await runLinkVerification(client, { credentialKey: key }, p.linkId);
      await storeLinkVerification(client, p.linkId, v);
      expect(v.differing).toEqual(["billing.invoices"]);
      const orders = v.tables.find((t) => t.table === "public.orders")!;
      expect(orders).toMatchObject({ sourceRows: 501, targetRows: 501, match: true });
    } finally {
      client.release();
    }
    const stored = await pool.query(`SELECT last_error, verification->'differing' AS differing FROM replication_link WHERE id = $1`, [p.linkId]);
    expect(stored.rows[0]).toEqual({ last_error: "Verification found differences in billing.invoices", differing: ["billing.invoices"] });

    // dropLink leaves nothing on either server; twice is success.
    expect(await ownObjects(p.a, p.name, p.linkId)).toHaveLength(3); // publication, slot, role
    const dropped = await must("dropLink", { linkId: p.linkId, clusterId });
    expect(dropped.alreadyDone).toBe(false);
    expect(await ownObjects(p.a, p.name, p.linkId)).toEqual([]);
    expect(await ownObjects(p.b, p.name, p.linkId)).toEqual([]);
    expect((await pool.query(`SELECT 1 FROM replication_link WHERE id = $1`, [p.linkId])).rows).toEqual([]);
    expect((await must("dropLink", { linkId: p.linkId, clusterId })).alreadyDone).toBe(true);
  });

  it("completes a link interrupted half-way (role and publication exist, no subscription) on retry", async () => {
    const p = await pair(SCHEMA);
    // What an attempt that died after its first statements on the source leaves behind.
    await sqlOn(p.a, p.name, `CREATE ROLE ${replicationRoleName(p.linkId)} LOGIN REPLICATION`);
    await sqlOn(p.a, p.name, `CREATE PUBLICATION ${publicationName(p.linkId)} FOR TABLE orders`);
    const out = await must("createLink", p.input);
    expect(out.alreadyDone).toBe(false);
    expect(String(out.result)).toMatch(/publication .* \+ 1 table\(s\)/); // billing.invoices was added to it
    expect(String(out.result)).not.toMatch(/role meridian_repl/); // not created twice
    await must("waitForCatchUp", { linkId: p.linkId, maxLagSeconds: 5 });
    expect((await sqlOn(p.b, p.name, `SELECT count(*)::int AS n FROM billing.invoices`)).rows[0].n).toBe(200);
    await must("verifyLink", { linkId: p.linkId });
    await must("dropLink", { linkId: p.linkId, clusterId });
    expect([...(await ownObjects(p.a, p.name, p.linkId)), ...(await ownObjects(p.b, p.name, p.linkId))]).toEqual([]);
  });

  it("undoing a createLink (compensation) also drops the tables it created, so the link can be filed again", async () => {
    const p = await pair(SCHEMA, { targetSetup: `CREATE TABLE orders (id bigint PRIMARY KEY, customer text NOT NULL, total numeric(12,2), placed_at timestamptz NOT NULL)` });
    const executionId = randomUUID();
    const created = await must("createLink", p.input, { executionId });
    expect(created.createdTables).toEqual(["billing.invoices"]); // orders was already there (empty, same columns)
    await must("waitForCatchUp", { linkId: p.linkId, maxLagSeconds: 5 });
    const undone = await must("dropLink", { linkId: p.linkId, clusterId }, { executionId, phase: "compensate" });
    expect(String(undone.result)).toMatch(/1 table\(s\) created by the link/);
    const tables = await sqlOn(p.b, p.name, `SELECT table_schema || '.' || table_name AS t FROM information_schema.tables WHERE table_schema IN ('public', 'billing') ORDER BY 1`);
    expect(tables.rows).toEqual([{ t: "public.orders" }]); // the target's own table stays (with the copied rows)
    expect([...(await ownObjects(p.a, p.name, p.linkId)), ...(await ownObjects(p.b, p.name, p.linkId))]).toEqual([]);
  });

  it("drops what a link left on the servers even when the inventory row is gone", async () => {
    const p = await pair(SCHEMA);
    await must("createLink", p.input);
    await pool.query(`DELETE FROM replication_link WHERE id = $1`, [p.linkId]);
    const dropped = await must("dropLink", { linkId: p.linkId, clusterId });
    expect(dropped.alreadyDone).toBe(false);
    expect([...(await ownObjects(p.a, p.name, p.linkId)), ...(await ownObjects(p.b, p.name, p.linkId))]).toEqual([]);
  });

  it("a cross-cluster link (target in another cluster) without its inventory row: dropLink finds the target through instanceIds", async () => {
    const p = await pair(`CREATE TABLE t (id int PRIMARY KEY); INSERT INTO t VALUES (1);`);
    await must("createLink", p.input);
    await pool.query(`UPDATE instance SET cluster_id = (SELECT id FROM cluster WHERE id <> $1 ORDER BY name LIMIT 1) WHERE id = $2`, [clusterId, p.targetId]);
    await pool.query(`DELETE FROM replication_link WHERE id = $1`, [p.linkId]);
    // By the source's cluster alone the target's subscription is out of reach...
    await must("dropLink", { linkId: p.linkId, clusterId });
    expect(await ownObjects(p.b, p.name, p.linkId)).not.toEqual([]);
    // ...naming both ends reaches it (the planners do so for a link into another cluster).
    await must("dropLink", { linkId: p.linkId, clusterId, instanceIds: [p.sourceId, p.targetId] });
    expect([...(await ownObjects(p.a, p.name, p.linkId)), ...(await ownObjects(p.b, p.name, p.linkId))]).toEqual([]);
  });

  it("says what to do by hand when the target cannot be reached while dropping a link, and finishes on retry", async () => {
    const p = await pair(`CREATE TABLE t (id int PRIMARY KEY); INSERT INTO t VALUES (1);`);
    await must("createLink", p.input);
    const { rows } = await pool.query<{ endpoint: string }>(`SELECT endpoint FROM instance WHERE id = $1`, [p.targetId]);
    await pool.query(`UPDATE instance SET endpoint = '127.0.0.1:1' WHERE id = $1`, [p.targetId]);
    const failed = await run("dropLink", { linkId: p.linkId, clusterId });
    expect((failed.error as ActionError).retryable).toBe(true);
    expect((failed.error as Error).message).toMatch(/Cannot connect to .* at 127\.0\.0\.1:1/);
    expect((failed.error as ActionError).humanAction).toMatch(/is gone for good, drop the replication slot meridian_slot_\w+ on the source by hand/);
    expect((await pool.query(`SELECT 1 FROM replication_link WHERE id = $1`, [p.linkId])).rows).toHaveLength(1); // nothing committed
    await pool.query(`UPDATE instance SET endpoint = $2 WHERE id = $1`, [p.targetId, rows[0]!.endpoint]);
    expect((await must("dropLink", { linkId: p.linkId, clusterId })).alreadyDone).toBe(false);
    expect([...(await ownObjects(p.a, p.name, p.linkId)), ...(await ownObjects(p.b, p.name, p.linkId))]).toEqual([]);
  });

  it("pauses and resumes a link (subscription disabled and enabled), idempotently", async () => {
    const p = await pair(`CREATE TABLE t (id int PRIMARY KEY, v text); INSERT INTO t VALUES (1, 'a');`);
    await must("createLink", { ...p.input, tables: ["t"] });
    await must("waitForCatchUp", { linkId: p.linkId, maxLagSeconds: 5 });
    const c = await pool.connect();
    try {
      const paused = await setLinkPaused(c, { credentialKey: key }, p.linkId, true);
      expect(paused).toMatchObject({ alreadyDone: false, from: "CATCHING_UP", to: "PAUSED" });
      expect((await setLinkPaused(c, { credentialKey: key }, p.linkId, true)).alreadyDone).toBe(true);
      expect((await sqlOn(p.b, p.name, `SELECT subenabled FROM pg_subscription`)).rows).toEqual([{ subenabled: false }]);
      await sqlOn(p.a, p.name, `INSERT INTO t VALUES (2, 'while paused')`);
      await new Promise((r) => setTimeout(r, 300));
      expect((await sqlOn(p.b, p.name, `SELECT count(*)::int AS n FROM t`)).rows[0].n).toBe(1);
      const row = await c.query(`SELECT status::text AS status, paused_at FROM replication_link WHERE id = $1`, [p.linkId]);
      expect(row.rows[0].status).toBe("PAUSED");
      expect(row.rows[0].paused_at).toBeInstanceOf(Date);
      const resumed = await setLinkPaused(c, { credentialKey: key }, p.linkId, false);
      expect(resumed).toMatchObject({ alreadyDone: false, from: "PAUSED", to: "CATCHING_UP" });
    } finally {
      c.release();
    }
    const n = await waitFor(() => sqlOn(p.b, p.name, `SELECT count(*)::int AS n FROM t`), (r) => r.rows[0].n === 2);
    expect(n.rows[0].n).toBe(2);
    await must("dropLink", { linkId: p.linkId, clusterId });
  });

  it("refuses to build a link to a target whose table conflicts, before creating anything", async () => {
    const p = await pair(SCHEMA, { targetSetup: `CREATE TABLE orders (id bigint PRIMARY KEY, customer int)` });
    const r = await run("createLink", p.input);
    expect(r.error).toBeInstanceOf(ActionError);
    expect((r.error as ActionError).retryable).toBe(false);
    expect((r.error as Error).message).toMatch(/already has a table public\.orders that differs from the source \(customer is integer, not text/);
    expect(await ownObjects(p.b, p.name, p.linkId)).toEqual([]); // no subscription
    await must("dropLink", { linkId: p.linkId, clusterId }); // the source's role and publication go too
    expect(await ownObjects(p.a, p.name, p.linkId)).toEqual([]);
  });
});

describe("preflight", () => {
  it("names every problem a person must fix, without changing anything", async () => {
    const p = await pair(`CREATE TABLE ok (id int PRIMARY KEY); CREATE TABLE events (at timestamptz, what text);`, {
      targetSetup: `CREATE TABLE ok (id int PRIMARY KEY); INSERT INTO ok VALUES (1);`,
    });
    const access = { credentialKey: key, connectTimeoutMs: 2_000 };
    const result = await preflightLink(pool, access, { linkId: p.linkId, sourceInstanceId: p.sourceId, targetInstanceId: p.targetId });
    expect(result.ok).toBe(false);
    expect(result.problems.map((x) => x.code).sort()).toEqual(["CONFLICTING_TABLE", "NO_PRIMARY_KEY"]);
    expect(result.problems.find((x) => x.code === "NO_PRIMARY_KEY")!.message).toMatch(/Table public\.events on .* has no primary key/);
    expect(result.problems.find((x) => x.code === "CONFLICTING_TABLE")!.message).toMatch(/already has rows in public\.ok/);

    // A subset without the offending tables passes.
    await sqlOn(p.b, p.name, `DELETE FROM ok`);
    expect((await preflightLink(pool, access, { linkId: p.linkId, sourceInstanceId: p.sourceId, targetInstanceId: p.targetId, tables: ["ok"] })).ok).toBe(true);

    // Wrong password, wal_level=replica, unreachable endpoint.
    const wrong = await registerTestInstance(pool, {
      key,
      clusterId,
      dataCenterId: dcB,
      server: servers[1]!,
      database: p.name,
      role: "STANDBY",
      credential: { user: "postgres", password: "not-the-password" },
    });
    await servers[2]!.createDatabase(p.name);
    await sqlOn(servers[2]!, p.name, `CREATE TABLE ok (id int PRIMARY KEY)`);
    const replicaLevel = await registerTestInstance(pool, { key, clusterId, dataCenterId: dcA, server: servers[2]!, database: p.name, role: "PRIMARY" });
    const bad = await preflightLink(pool, access, { linkId: p.linkId, sourceInstanceId: replicaLevel, targetInstanceId: wrong });
    expect(bad.problems.map((x) => x.code).sort()).toEqual(["WAL_LEVEL", "WRONG_PASSWORD"]);
    expect(bad.problems.find((x) => x.code === "WAL_LEVEL")!.message).toMatch(/wal_level=replica: logical replication needs wal_level=logical/);
    expect(JSON.stringify(bad)).not.toContain("not-the-password");

    const gone = await registerTestInstance(pool, { key, clusterId, dataCenterId: dcB, server: { ...servers[1]!, port: 1 }, database: p.name, role: "STANDBY" });
    const unreachable = await preflightLink(pool, access, { linkId: p.linkId, sourceInstanceId: p.sourceId, targetInstanceId: gone, tables: ["ok"] });
    expect(unreachable.problems).toEqual([expect.objectContaining({ code: "UNREACHABLE", side: "target" })]);

    // A role without the privileges a link needs.
    await sqlOn(p.a, p.name, `CREATE ROLE weak LOGIN PASSWORD 'weak-pw'`);
    const weak = await registerTestInstance(pool, {
      key,
      clusterId,
      dataCenterId: dcA,
      server: servers[0]!,
      database: p.name,
      role: "PRIMARY",
      credential: { user: "weak", password: "weak-pw" },
    });
    const noPriv = await preflightLink(pool, access, { linkId: p.linkId, sourceInstanceId: weak, targetInstanceId: p.targetId, tables: ["ok"] });
    expect(noPriv.problems.map((x) => x.code)).toEqual(["MISSING_PRIVILEGE", "MISSING_PRIVILEGE"]);
    expect(noPriv.problems[0]!.message).toMatch(/lacks REPLICATION, CREATEROLE, CREATE on the database/);
    expect(noPriv.problems[1]!.message).toMatch(/does not own public\.ok/);

    // A step on a server that refuses the stored credential fails for good, saying what to set.
    const login = await run("createLink", { linkId: randomUUID(), clusterId, sourceInstanceId: p.sourceId, targetInstanceId: wrong, mode: "LOGICAL", tables: ["ok"] });
    expect((login.error as ActionError).retryable).toBe(false);
    expect((login.error as ActionError).humanAction).toMatch(/Set the right credential of .* on its page/);
    expect(JSON.stringify(login.error)).not.toContain("not-the-password");

    // As a plan step: fails for good with the sentences above.
    const step = await run("preflightLink", { linkId: p.linkId, sourceInstanceId: replicaLevel, targetInstanceId: p.targetId });
    expect((step.error as ActionError).retryable).toBe(false);
    expect((step.error as Error).message).toMatch(/^Preflight failed: .*wal_level=replica/);
    expect(await ownObjects(p.a, p.name, p.linkId)).toEqual([]);
  });
});
