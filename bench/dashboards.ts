/**
 * Dashboards benchmark: every dashboard procedure on a warm cache with 90 days of history for
 * 1,200 instances, side by side with the same aggregate SQL run raw through `pg` in the same run
 * (the very statements the service sends, built by its exported SQL builders, run in parallel
 * as the service runs them, with no Prisma, no tRPC and no post-processing). Calls alternate
 * between the two; percentiles over `--samples` calls each. Also times the seeding of the
 * 90-day history (rollups written with set-based generate_series inserts). See bench/README.md.
 *
 *   npx tsx bench/dashboards.ts [--instances 1200] [--samples 60]
 *       [--server-url postgresql://postgres@127.0.0.1:5432/postgres] [--reuse]
 */
import os from "node:os";
import { parseArgs } from "node:util";
import { createCaller, createContext } from "../packages/api/src/index.ts";
import { resolveWindow } from "../packages/api/src/services/dashboards/window.ts";
import {
  computeCapacity,
  computeChangeDelivery,
  computeFleetHealth,
  computeReplicationLag,
  computeResidencyPosture,
} from "../packages/api/src/services/dashboards/index.ts";
import { fleetHealthByRegionSql, fleetHealthNowSql, fleetHealthSeriesSql } from "../packages/api/src/services/dashboards/fleet-health.ts";
import { lagSeriesSql, lagSummarySql, regionNamesSql, worstLinksSql } from "../packages/api/src/services/dashboards/replication-lag.ts";
import { changeRequestsSql, waitingApprovalsSql } from "../packages/api/src/services/dashboards/change-delivery.ts";
import { blockedRequestsSql, jurisdictionMatrixSql, openFindingsSql } from "../packages/api/src/services/dashboards/residency-posture.ts";
import { capacitySql } from "../packages/api/src/services/dashboards/capacity.ts";
import { ZDashboardFilterSchema, type TDashboardFilterInput } from "../packages/api/src/routers/dashboards/dashboard.schema.ts";
import { createPrismaClient } from "../packages/db/src/client.ts";
import { applyMigrations, withDatabase } from "../packages/db/src/migrations/index.ts";
import { seedDashboardHistory, seedDemo } from "../packages/db/src/seed/index.ts";
import { pg } from "./topology-fixture.ts";

const { values } = parseArgs({
  args: process.argv.slice(2).filter((a) => a !== "--"),
  options: {
    instances: { type: "string", default: "1200" },
    samples: { type: "string", default: "60" },
    "server-url": { type: "string", default: "postgresql://postgres@127.0.0.1:5432/postgres" },
    name: { type: "string", default: "meridian_bench_dashboards" },
    reuse: { type: "boolean", default: false },
  },
});
const SAMPLES = Number(values.samples);
const INSTANCES = Number(values.instances);
const log = (line: string) => console.log(`[dashboards] ${line}`);
const load = () => os.loadavg().map((l) => l.toFixed(2)).join(" ");

type TSqlLike = { text: string; values: unknown[] };

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
}

async function prepare(serverUrl: string, name: string): Promise<{ url: string; seedMs: number | null; rows: string }> {
  const url = withDatabase(serverUrl, name);
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    const { rows } = await admin.query("select 1 from pg_database where datname = $1", [name]);
    if (values.reuse && rows.length) {
      log(`reusing ${name}`);
      return { url, seedMs: null, rows: await rowCounts(url) };
    }
    await admin.query(`drop database if exists "${name}" with (force)`);
    await admin.query(`create database "${name}"`);
  } finally {
    await admin.end();
  }
  await applyMigrations(url);
  const prisma = createPrismaClient(url, { max: 4 });
  try {
    const t = performance.now();
    await seedDemo(prisma, { instances: INSTANCES });
    log(`seeded the fleet (${INSTANCES} instances) in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    const h = await seedDashboardHistory(prisma, { log });
    return { url, seedMs: h.durationMs, rows: await rowCounts(url) };
  } finally {
    await prisma.$disconnect();
  }
}

async function rowCounts(url: string): Promise<string> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const { rows } = await c.query(
      `select (select count(*) from health_sample_hourly) hh, (select count(*) from health_sample_daily) hd,
              (select count(*) from lag_sample_hourly) lh, (select count(*) from lag_sample_daily) ld,
              (select count(*) from change_request) cr, (select count(*) from instance) i, (select count(*) from replication_link) l`,
    );
    const r = rows[0] as Record<string, string>;
    return `${r.i} instances, ${r.l} links; rollups: ${r.hh} hourly + ${r.hd} daily health, ${r.lh} hourly + ${r.ld} daily lag; ${r.cr} change requests`;
  } finally {
    await c.end();
  }
}

async function main(): Promise<void> {
  log(`load average at start: ${load()}`);
  const { url, seedMs, rows } = await prepare(values["server-url"]!, values.name!);
  const prisma = createPrismaClient(url, { max: 10 });
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  const [{ version }] = (await pool.query("select version()")).rows as [{ version: string }];
  log(version);
  log(rows);
  if (seedMs !== null) log(`90-day history seeded in ${(seedMs / 1000).toFixed(1)} s`);
  const raw = (sql: TSqlLike) => pool.query({ text: sql.text, values: sql.values as unknown[] }).then((r) => r.rows);
  const user = { id: "00000000-0000-4000-8000-000000000001", email: "bench@meridian.local", name: "Bench", roles: ["VIEWER" as const] };
  const caller = createCaller(createContext({ prisma, user }));
  const [team] = await raw({ text: "select t.slug from team t join cluster c on c.team_id = t.id group by t.slug order by count(*) desc limit 1", values: [] });

  type TFilter = ReturnType<typeof ZDashboardFilterSchema.parse>;
  type TCompute = (p: typeof prisma, f: TFilter, now: Date) => Promise<unknown>;
  const cases: { name: string; procedure: () => Promise<unknown>; service: () => Promise<unknown>; raw: () => Promise<unknown> }[] = [];
  const computeOf: Record<string, TCompute> = {
    fleetHealth: computeFleetHealth,
    replicationLag: computeReplicationLag,
    changeDelivery: computeChangeDelivery,
    residencyPosture: computeResidencyPosture,
    capacity: computeCapacity,
  };
  const add = (name: string, input: TDashboardFilterInput, procedure: (i: TDashboardFilterInput) => Promise<unknown>, sqls: (f: TFilter, now: Date) => TSqlLike[]) => {
    const compute = computeOf[name.split(" ")[0]!]!;
    cases.push({
      name,
      procedure: () => procedure(input),
      service: () => compute(prisma, ZDashboardFilterSchema.parse(input), new Date()),
      raw: () => {
        const f = ZDashboardFilterSchema.parse(input);
        return Promise.all(sqls(f, new Date()).map(raw));
      },
    });
  };
  for (const range of ["24h", "7d", "30d", "90d"] as const) {
    add(`fleetHealth ${range}`, { range }, (i) => caller.dashboards.fleetHealth(i), (f, now) => {
      const w = resolveWindow(f, now);
      return [fleetHealthNowSql(f), fleetHealthSeriesSql(f, w), fleetHealthByRegionSql(f, w)];
    });
    add(`replicationLag ${range}`, { range }, (i) => caller.dashboards.replicationLag(i), (f, now) => {
      const w = resolveWindow(f, now);
      return [lagSeriesSql(f, w), lagSummarySql(f, w), worstLinksSql(f), regionNamesSql()];
    });
  }
  add(`fleetHealth 7d team ${team!.slug as string}`, { range: "7d", team: team!.slug as string }, (i) => caller.dashboards.fleetHealth(i), (f, now) => {
    const w = resolveWindow(f, now);
    return [fleetHealthNowSql(f), fleetHealthSeriesSql(f, w), fleetHealthByRegionSql(f, w)];
  });
  for (const range of ["7d", "90d"] as const) {
    add(`changeDelivery ${range}`, { range }, (i) => caller.dashboards.changeDelivery(i), (f, now) => [changeRequestsSql(f, resolveWindow(f, now)), waitingApprovalsSql(f)]);
    add(`residencyPosture ${range}`, { range }, (i) => caller.dashboards.residencyPosture(i), (f, now) => [
      openFindingsSql(f),
      jurisdictionMatrixSql(f),
      blockedRequestsSql(f, resolveWindow(f, now)),
    ]);
  }
  add("capacity", { range: "7d" }, (i) => caller.dashboards.capacity(i), (f) => [capacitySql(f)]);

  log(`${SAMPLES} calls per variant, interleaved, after 10 warm-up calls each`);
  // Three variants, interleaved: the raw SQL; the service computing afresh (result cache
  // bypassed: the honest comparison with the raw SQL); the tRPC procedure as the console calls
  // it (zod, permission, result cache warm: what a viewer gets within the cache's 30 s).
  const results: { name: string; rawP50: number; rawP95: number; svcP50: number; svcP95: number; procP50: number; procP95: number }[] = [];
  for (const c of cases) {
    for (let i = 0; i < 10; i++) {
      await c.procedure();
      await c.service();
      await c.raw();
    }
    const t = { procedure: [] as number[], service: [] as number[], raw: [] as number[] };
    for (let i = 0; i < SAMPLES; i++) {
      const order = i % 2 ? (["raw", "service", "procedure"] as const) : (["service", "raw", "procedure"] as const);
      for (const k of order) {
        const s = performance.now();
        await c[k]();
        t[k].push(performance.now() - s);
      }
    }
    for (const k of ["raw", "service", "procedure"] as const) t[k].sort((a, b) => a - b);
    const r = {
      name: c.name,
      rawP50: pct(t.raw, 50),
      rawP95: pct(t.raw, 95),
      svcP50: pct(t.service, 50),
      svcP95: pct(t.service, 95),
      procP50: pct(t.procedure, 50),
      procP95: pct(t.procedure, 95),
    };
    results.push(r);
    log(
      `${c.name.padEnd(34)} raw p50 ${r.rawP50.toFixed(1)} p95 ${r.rawP95.toFixed(1)} | uncached p50 ${r.svcP50.toFixed(1)} p95 ${r.svcP95.toFixed(1)} (x${(r.svcP95 / r.rawP95).toFixed(2)}) | procedure, warm cache p50 ${r.procP50.toFixed(2)} p95 ${r.procP95.toFixed(2)} ms`,
    );
  }
  console.log("\n| procedure (range) | raw SQL p50 / p95 | service uncached p50 / p95 | p95 ratio | procedure (warm result cache) p50 / p95 |");
  console.log("| --- | --- | --- | --- | --- |");
  for (const r of results) {
    console.log(
      `| ${r.name} | ${r.rawP50.toFixed(1)} / ${r.rawP95.toFixed(1)} ms | ${r.svcP50.toFixed(1)} / ${r.svcP95.toFixed(1)} ms | ${(r.svcP95 / r.rawP95).toFixed(2)}x | ${r.procP50.toFixed(2)} / ${r.procP95.toFixed(2)} ms |`,
    );
  }
  log(`load average at end: ${load()}`);
  await prisma.$disconnect();
  await pool.end();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
