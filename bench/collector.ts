/**
 * Health and lag collector benchmark: one collector cycle over many registered POSTGRES
 * instances (default 200: 50 databases on each of 4 embedded PostgreSQL 17 servers, each
 * database registered as an instance, a few of them joined by real logical replication links),
 * against a bare baseline in the same run: the same probe query sent directly through `pg`,
 * with the same concurrency, without Meridian's bookkeeping (no inventory read, no decryption,
 * no samples, no drift, no metadata transaction).
 *
 *   npx tsx bench/collector.ts [--instances 200] [--servers 4] [--cycles 5] [--concurrency 32] [--server-url postgresql://...]
 *
 * Reports the cold cycle (connections opened) and the warm cycles (connections kept, as in the
 * running collector): cycle time, time polling servers vs bookkeeping, per-instance p50 / p95;
 * the load average at start and end; the PostgreSQL version.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import type pgTypes from "pg";
import { createPrismaClient } from "../packages/db/src/client.ts";
import { startEmbeddedPostgres, type TEmbeddedPostgres } from "../packages/db/src/embedded.ts";
import { applyMigrations, ensureDatabase } from "../packages/db/src/migrations/index.ts";
import { seedDemo } from "../packages/db/src/seed/index.ts";
import { createCollector } from "../packages/fleet/src/collector/collector.ts";
import { PROBE_SQL } from "../packages/fleet/src/collector/probe.ts";
import { encryptCredential } from "../packages/fleet/src/credentials.ts";
import { publicationName, slotName, subscriptionName, replicationRoleName } from "../packages/fleet/src/postgres/names.ts";

// bench/ is not a workspace package: take pg from the fleet package's dependencies.
const FLEET = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../packages/fleet");
const pg = createRequire(path.join(FLEET, "package.json"))("pg") as typeof pgTypes;

const { values } = parseArgs({
  args: process.argv.slice(2).filter((a) => a !== "--"),
  options: {
    instances: { type: "string", default: "200" },
    servers: { type: "string", default: "4" },
    cycles: { type: "string", default: "5" },
    concurrency: { type: "string", default: "32" },
    links: { type: "string", default: "4" },
    "server-url": { type: "string" },
  },
});
const INSTANCES = Number(values.instances);
const SERVERS = Number(values.servers);
const CYCLES = Number(values.cycles);
const CONCURRENCY = Number(values.concurrency);
const LINKS = Math.min(Number(values.links), SERVERS);
const ROLE = "meridian_bench";
const PASSWORD = randomBytes(12).toString("base64url");

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? 0) : 0;
};
const load = () => os.loadavg().map((x) => x.toFixed(2)).join(" ");
const log = (line: string) => console.log(`[bench] ${line}`);

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i] as T);
      }
    }),
  );
  return out;
}

async function main(): Promise<void> {
  const loadStart = load();
  const dir = mkdtempSync(path.join(os.tmpdir(), "meridian-bench-collector-"));
  chmodSync(dir, 0o755);
  const started: TEmbeddedPostgres[] = [];
  const metaName = `meridian_bench_collector_${randomBytes(3).toString("hex")}`;
  try {
    let metaUrl: string;
    if (values["server-url"]) {
      metaUrl = await ensureDatabase(values["server-url"], metaName);
    } else {
      const meta = await startEmbeddedPostgres({ dataDir: path.join(dir, "meta"), port: 0, ephemeral: true });
      started.push(meta);
      metaUrl = await ensureDatabase(meta.url, "meridian");
    }
    await applyMigrations(metaUrl);
    const prisma = createPrismaClient(metaUrl, { max: 2 });
    await seedDemo(prisma, { instances: 50 });
    await prisma.$disconnect();

    const t0 = Date.now();
    const servers = await Promise.all(
      Array.from({ length: SERVERS }, (_, s) => startEmbeddedPostgres({ dataDir: path.join(dir, `managed-${s}`), port: 0, ephemeral: true })),
    );
    started.push(...servers);
    const perServer = Math.ceil(INSTANCES / SERVERS);
    let version = "";
    await Promise.all(
      servers.map(async (server, s) => {
        const admin = new pg.Client({ connectionString: server.url });
        await admin.connect();
        version = (await admin.query<{ v: string }>("SELECT version() AS v")).rows[0]?.v ?? "";
        await admin.query(`CREATE ROLE ${ROLE} LOGIN SUPERUSER PASSWORD '${PASSWORD}'`);
        for (let d = 0; d < perServer && s * perServer + d < INSTANCES; d++) await admin.query(`CREATE DATABASE db_${String(d).padStart(3, "0")}`);
        await admin.end();
      }),
    );
    log(`${SERVERS} servers, ${INSTANCES} databases in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

    // Register every database as an instance of one cluster.
    const metaPool = new pg.Pool({ connectionString: metaUrl, max: 2 });
    const key = randomBytes(32);
    const { rows: dcs } = await metaPool.query<{ id: string }>("SELECT id::text FROM data_center ORDER BY code LIMIT 8");
    const { rows: teams } = await metaPool.query<{ id: string }>("SELECT id::text FROM team ORDER BY slug LIMIT 1");
    const clusterId = randomUUID();
    await metaPool.query(
      `INSERT INTO cluster (id, name, engine, engine_version, team_id, tier, classification, home_jurisdiction_code, allowed_jurisdictions, rpo_seconds, rto_seconds, updated_at)
       SELECT $1, 'bench-collector', 'POSTGRESQL', '17', $2, 'T3', 'INTERNAL', jurisdiction_code, ARRAY(SELECT code FROM jurisdiction), 60, 300, now()
         FROM data_center WHERE id = $3`,
      [clusterId, teams[0]?.id, dcs[0]?.id],
    );
    const instances: Array<{ id: string; server: number; db: string; port: number }> = [];
    for (let n = 0; n < INSTANCES; n++) {
      const server = Math.floor(n / perServer);
      const db = `db_${String(n % perServer).padStart(3, "0")}`;
      instances.push({ id: randomUUID(), server, db, port: servers[server]!.port });
    }
    await metaPool.query(
      `INSERT INTO instance (id, name, cluster_id, data_center_id, role, driver, endpoint, version, credential_ciphertext, database_name, updated_at)
       SELECT u.id, 'bench-' || u.n, $1, $2, CASE WHEN u.n = 0 THEN 'PRIMARY' ELSE 'STANDBY' END::"InstanceRole", 'POSTGRES', u.endpoint, '17', u.cred, u.db, now()
         FROM unnest($3::uuid[], $4::int[], $5::text[], $6::text[], $7::text[]) AS u(id, n, endpoint, cred, db)`,
      [
        clusterId,
        dcs[0]?.id,
        instances.map((i) => i.id),
        instances.map((_, n) => n),
        instances.map((i) => `127.0.0.1:${i.port}`),
        instances.map((i) => encryptCredential(key, i.id, { user: ROLE, password: PASSWORD })),
        instances.map((i) => i.db),
      ],
    );

    // A few real logical replication links: db_000 of server s -> db_000 of server s+1.
    for (let l = 0; l < LINKS && SERVERS > 1; l++) {
      const src = instances.find((i) => i.server === l && i.db === "db_000")!;
      const dst = instances.find((i) => i.server === (l + 1) % SERVERS && i.db === "db_001")!;
      const linkId = randomUUID();
      const cfg = (i: typeof src) => ({ host: "127.0.0.1", port: i.port, database: i.db, user: ROLE, password: PASSWORD });
      const a = new pg.Client(cfg(src));
      await a.connect();
      await a.query("CREATE TABLE IF NOT EXISTS t (id bigint PRIMARY KEY, v text)");
      await a.query(`CREATE ROLE ${replicationRoleName(linkId)} LOGIN REPLICATION PASSWORD '${PASSWORD}'`);
      await a.query(`GRANT SELECT ON t TO ${replicationRoleName(linkId)}`);
      await a.query(`CREATE PUBLICATION ${publicationName(linkId)} FOR TABLE t`);
      await a.query("INSERT INTO t SELECT g, md5(g::text) FROM generate_series(1, 1000) g ON CONFLICT DO NOTHING");
      await a.end();
      const b = new pg.Client(cfg(dst));
      await b.connect();
      await b.query("CREATE TABLE IF NOT EXISTS t (id bigint PRIMARY KEY, v text)");
      await b.query(
        `CREATE SUBSCRIPTION ${subscriptionName(linkId)} CONNECTION 'host=127.0.0.1 port=${src.port} dbname=${src.db} user=${replicationRoleName(linkId)} password=${PASSWORD}' PUBLICATION ${publicationName(linkId)} WITH (slot_name = '${slotName(linkId)}')`,
      );
      await b.end();
      await metaPool.query(
        `INSERT INTO replication_link (id, source_id, target_id, mode, status, tables, verified_at, updated_at) VALUES ($1, $2, $3, 'LOGICAL', 'ACTIVE', '{}', now(), now())`,
        [linkId, src.id, dst.id],
      );
    }
    // Prime: one connection to each database first, as a server in use would have had (the very
    // first backend of a fresh database builds its relation cache file, which would bias
    // whichever side runs first).
    const cfgOf = (i: (typeof instances)[number]) => ({ host: "127.0.0.1", port: i.port, database: i.db, user: ROLE, password: PASSWORD });
    await mapLimit(instances, CONCURRENCY, async (i) => {
      const c = new pg.Client(cfgOf(i));
      await c.connect();
      await c.query(PROBE_SQL);
      await c.end();
    });
    await new Promise((r) => setTimeout(r, 1_000));

    // Meridian: cold cycle, then warm cycles.
    const collector = createCollector({ databaseUrl: metaUrl, credentialKey: key, concurrency: CONCURRENCY, timeoutMs: 10_000 });
    const cycles: Array<{ ms: number; pollMs: number; per: number[]; ok: number }> = [];
    for (let c = 0; c <= CYCLES; c++) {
      const r = await collector.runCycle();
      cycles.push({ ms: r.ms, pollMs: r.pollMs, per: r.instances.map((i) => i.ms), ok: r.instances.filter((i) => i.ok).length });
    }
    await collector.stop();
    const { rows: driftRows } = await metaPool.query<{ n: number }>("SELECT count(*)::int AS n FROM drift_finding WHERE resolved_at IS NULL");
    const { rows: lagRows } = await metaPool.query<{ n: number }>("SELECT count(*)::int AS n FROM lag_sample");

    // Bare baseline: the same probe, the same concurrency, straight through pg.
    const probeCold = async () => {
      const t = performance.now();
      const per = await mapLimit(instances, CONCURRENCY, async (i) => {
        const s = performance.now();
        const c = new pg.Client(cfgOf(i));
        await c.connect();
        await c.query(PROBE_SQL);
        await c.end();
        return performance.now() - s;
      });
      return { ms: performance.now() - t, per };
    };
    const clients = await mapLimit(instances, CONCURRENCY, async (i) => {
      const c = new pg.Client(cfgOf(i));
      await c.connect();
      return c;
    });
    const probeWarm = async () => {
      const t = performance.now();
      const per = await mapLimit(clients, CONCURRENCY, async (c) => {
        const s = performance.now();
        await c.query(PROBE_SQL);
        return performance.now() - s;
      });
      return { ms: performance.now() - t, per };
    };
    const bareCold = await probeCold();
    const bareWarm: Array<{ ms: number; per: number[] }> = [];
    for (let c = 0; c < CYCLES; c++) bareWarm.push(await probeWarm());
    await Promise.all(clients.map((c) => c.end()));
    // Meridian cold again, after the baseline (order effects: caches, idle backends).
    const again = createCollector({ databaseUrl: metaUrl, credentialKey: key, concurrency: CONCURRENCY, timeoutMs: 10_000 });
    const coldAgain = await again.runCycle();
    await again.stop();
    await metaPool.end();

    const cold = cycles[0]!;
    const warm = cycles.slice(1);
    const warmPer = warm.flatMap((c) => c.per);
    const bareWarmPer = bareWarm.flatMap((c) => c.per);
    const med = (xs: number[]) => pct(xs, 50);
    const fmt = (n: number) => `${Math.round(n)} ms`;
    console.log("");
    console.log(`PostgreSQL: ${version.split(" on ")[0]}`);
    console.log(`instances: ${INSTANCES} (${SERVERS} servers x ${perServer} databases), ${LINKS} logical links, concurrency ${CONCURRENCY}, node ${process.version}, ${os.cpus().length} cores`);
    console.log(`load average (1/5/15 min): start ${loadStart}, end ${load()}`);
    console.log(`instances reachable per cycle: ${cycles.map((c) => c.ok).join(", ")}; open drift after the run: ${driftRows[0]?.n}; lag samples: ${lagRows[0]?.n}`);
    console.log("");
    console.log("| measure | Meridian collector | bare probe through pg | ratio |");
    console.log("| --- | --- | --- | --- |");
    console.log(`| cold cycle (connections opened) | ${fmt(cold.ms)} (polling ${fmt(cold.pollMs)}) | ${fmt(bareCold.ms)} | ${(cold.ms / bareCold.ms).toFixed(2)}x |`);
    console.log(`| cold cycle again, after the baseline | ${fmt(coldAgain.ms)} (polling ${fmt(coldAgain.pollMs)}) | | ${(coldAgain.ms / bareCold.ms).toFixed(2)}x |`);
    console.log(`| cold, per instance p50 / p95 | ${fmt(pct(cold.per, 50))} / ${fmt(pct(cold.per, 95))} | ${fmt(pct(bareCold.per, 50))} / ${fmt(pct(bareCold.per, 95))} | |`);
    console.log(
      `| warm cycle, median of ${warm.length} (min-max) | ${fmt(med(warm.map((c) => c.ms)))} (${fmt(Math.min(...warm.map((c) => c.ms)))}-${fmt(Math.max(...warm.map((c) => c.ms)))}); polling ${fmt(med(warm.map((c) => c.pollMs)))}, bookkeeping ${fmt(med(warm.map((c) => c.ms - c.pollMs)))} | ${fmt(med(bareWarm.map((c) => c.ms)))} | ${(med(warm.map((c) => c.ms)) / med(bareWarm.map((c) => c.ms))).toFixed(2)}x |`,
    );
    console.log(`| warm, per instance p50 / p95 | ${fmt(pct(warmPer, 50))} / ${fmt(pct(warmPer, 95))} | ${fmt(pct(bareWarmPer, 50))} / ${fmt(pct(bareWarmPer, 95))} | |`);
    console.log(`target: a cycle under 5 s -> cold ${cold.ms < 5000 ? "met" : "MISSED"}, warm ${med(warm.map((c) => c.ms)) < 5000 ? "met" : "MISSED"}`);
  } finally {
    if (values["server-url"]) {
      // The metadata database made for this run on the given server goes too.
      const admin = new pg.Client({ connectionString: values["server-url"] });
      await admin.connect().then(
        () => admin.query(`DROP DATABASE IF EXISTS ${metaName} WITH (FORCE)`).finally(() => admin.end()),
        () => {},
      );
    }
    await Promise.all(started.map((s) => s.stop().catch(() => {})));
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
