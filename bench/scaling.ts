/**
 * Scaling curves: the console's page-load reads and the change-request planner at 1,000, 10,000
 * and 100,000 instances, each side by side with its raw SQL in the same run (the very statements
 * the service sends, built by its exported SQL builders, run through `pg` in parallel as the
 * service runs them: no Prisma, no tRPC, no post-processing). Prints p50/p95 per size, the growth
 * exponent between sizes (log(t2/t1) / log(n2/n1): 1 is linear), and writes a log-log chart to
 * bench/scaling.svg. See bench/README.md.
 *
 *   flock /tmp/meridian-heavy.lock npx tsx bench/scaling.ts [--sizes 1000,10000,100000] [--samples 60]
 *       [--max-seconds 20] [--server-url postgresql://postgres@127.0.0.1:5432/postgres] [--reuse] [--svg bench/scaling.svg]
 *
 * Databases: meridian_bench_scaling_<instances>, each the migrations plus `seedDemo` at that size
 * (timed), then ANALYZE. `--reuse` keeps one that already holds that fleet (pending migrations
 * are still applied).
 */
import { writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { appRouter, createCaller, createContext } from "../packages/api/src/index.ts";
import { listClustersSql } from "../packages/api/src/services/inventory/clusters.ts";
import { listDataCentersSql } from "../packages/api/src/services/inventory/data-centers.ts";
import { filterOptionsSql } from "../packages/api/src/services/inventory/filter-options.ts";
import { listInstancesSql } from "../packages/api/src/services/inventory/instances.ts";
import { clusterSnapshotsSql, dataCenterSnapshotsSql } from "../packages/api/src/services/changes/fleet-snapshot.ts";
import { clusterGraphSql } from "../packages/api/src/services/topology/cluster-graph.ts";
import { dataCenterPanelSql, findDataCenterSql } from "../packages/api/src/services/topology/data-center-panel.ts";
import { DATA_CENTER_PANEL_PAGE_SIZE } from "../packages/api/src/routers/topology/data-center-panel.schema.ts";
import { fleetClustersSql } from "../packages/api/src/services/topology/fleet-graph.ts";
import { openFindingCountsSql } from "../packages/api/src/services/topology/map-overview.ts";
import { crossDataCenterLinkGroupsSql, dataCenterRollupsSql } from "../packages/api/src/services/topology/rollups.ts";
import { searchSql } from "../packages/api/src/services/topology/search.ts";
import { ZListClustersRequestSchema } from "../packages/api/src/routers/inventory/list-clusters.schema.ts";
import { ZListDataCentersRequestSchema } from "../packages/api/src/routers/inventory/list-data-centers.schema.ts";
import { ZListInstancesRequestSchema } from "../packages/api/src/routers/inventory/list-instances.schema.ts";
import { createPrismaClient } from "../packages/db/src/client.ts";
import { applyMigrations, recreateDatabase, withDatabase } from "../packages/db/src/migrations/index.ts";
import { seedDemo } from "../packages/db/src/seed/index.ts";
import { pg } from "./topology-fixture.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const { values } = parseArgs({
  args: process.argv.slice(2).filter((a) => a !== "--"),
  options: {
    sizes: { type: "string", default: "1000,10000,100000" },
    samples: { type: "string", default: "60" },
    "max-seconds": { type: "string", default: "20" },
    "server-url": { type: "string", default: "postgresql://postgres@127.0.0.1:5432/postgres" },
    reuse: { type: "boolean", default: false },
    svg: { type: "string", default: path.join(ROOT, "bench/scaling.svg") },
  },
});
const SIZES = values.sizes!.split(",").map(Number);
const SAMPLES = Number(values.samples);
const MAX_MS = Number(values["max-seconds"]) * 1000;
const MIN_SAMPLES = 8;
const log = (line: string) => console.log(`[scaling] ${line}`);
const load = () => os.loadavg().map((n) => n.toFixed(2)).join(" ");

type TSqlLike = { text: string; values: unknown[] };
type TCase = { name: string; pageLoad: boolean; procedure: () => Promise<unknown>; raw: () => Promise<unknown> };
type TResult = { name: string; pageLoad: boolean; n: number; raw: number[]; proc: number[] };

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
}

async function instancesIn(url: string): Promise<number | null> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
    const { rows } = await client.query("select count(*)::int as n from instance");
    return (rows[0] as { n: number }).n;
  } catch {
    return null;
  } finally {
    await client.end().catch(() => {});
  }
}

/** The database for one size, seeded (and the seed timed) unless `--reuse` finds it ready. */
async function prepare(instances: number): Promise<{ url: string; seedSeconds: number | null }> {
  const name = `meridian_bench_scaling_${instances}`;
  const existing = withDatabase(values["server-url"]!, name);
  if (values.reuse && (await instancesIn(existing)) === instances) {
    await applyMigrations(existing);
    log(`reusing ${name}`);
    return { url: existing, seedSeconds: null };
  }
  const url = await recreateDatabase(values["server-url"]!, name);
  await applyMigrations(url);
  const prisma = createPrismaClient(url, { max: 4 });
  let seedSeconds: number;
  try {
    const t = performance.now();
    const summary = await seedDemo(prisma, { instances });
    seedSeconds = (performance.now() - t) / 1000;
    log(
      `${name}: seeded ${summary.instances} instances, ${summary.clusters} clusters, ${summary.replicationLinks} links in ${seedSeconds.toFixed(1)} s (load ${load()})`,
    );
  } finally {
    await prisma.$disconnect();
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query("vacuum analyze");
  await client.end();
  return { url, seedSeconds };
}

async function measureSize(instances: number): Promise<{ results: TResult[]; seedSeconds: number | null; size: Record<string, number> }> {
  const { url, seedSeconds } = await prepare(instances);
  const prisma = createPrismaClient(url, { max: 10 });
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  const raw = (sql: TSqlLike) => pool.query({ text: sql.text, values: sql.values as unknown[] }).then((r) => r.rows);
  // A list page and, when the page does not count itself, its count, side by side as the service runs them.
  const rawList = (q: { page: TSqlLike; total: TSqlLike | null }) => Promise.all([raw(q.page), q.total ? raw(q.total) : null]);
  try {
    const [size] = await raw({
      text: `select (select count(*)::int from instance) as instances, (select count(*)::int from cluster) as clusters,
                    (select count(*)::int from replication_link) as links, (select count(*)::int from data_center) as "dataCenters"`,
      values: [],
    });
    const [dba] = await raw({ text: "select id::text as id, email, name from app_user where email = 'dba@meridian.local'", values: [] });
    const viewer = { id: "00000000-0000-4000-8000-000000000001", email: "bench@meridian.local", name: "Bench", roles: ["VIEWER" as const] };
    const caller = createCaller(createContext({ prisma, user: viewer }));
    const dbaCaller = createCaller(
      createContext({ prisma, user: { id: dba!.id as string, email: dba!.email as string, name: dba!.name as string, roles: ["DBA" as const] } }),
    );
    void appRouter;

    // Inputs: the busiest data center (the drain with the widest blast radius), the T0 cluster with the most instances.
    const [busy] = await raw({
      text: "select d.code, d.id::text as id from data_center d join instance i on i.data_center_id = d.id where d.status = 'ACTIVE' group by d.id order by count(*) desc limit 1",
      values: [],
    });
    const [big] = await raw({
      text: "select c.id::text as id, c.name from cluster c join instance i on i.cluster_id = c.id where c.tier = 'T0' group by c.id order by count(*) desc, c.name limit 1",
      values: [],
    });
    // A drain refuses to move a replica whose cluster has a DOWN source (the demo fleet has ~1%
    // DOWN instances): the clusters of the drained data center are reported healthy here, so the
    // whole drain plans (its blast radius then spans thousands of clusters at 100,000 instances).
    await raw({
      text: `update instance set health = 'UP' where health <> 'UP' and cluster_id in (select cluster_id from instance where data_center_id = $1::uuid)`,
      values: [busy!.id],
    });
    const code = busy!.code as string;
    const dcId = busy!.id as string;
    const clusterName = big!.name as string;
    const clusters = ZListClustersRequestSchema.parse({});
    const instancesPage = ZListInstancesRequestSchema.parse({});
    const dataCenters = ZListDataCentersRequestSchema.parse({});
    const drainFile = { kind: "DRAIN_DATACENTER" as const, target: { dataCenter: code }, parameters: {}, reason: "scaling benchmark: plan only" };

    const cases: TCase[] = [
      {
        name: "mapOverview",
        pageLoad: true,
        procedure: () => caller.topology.mapOverview({}),
        raw: () => {
          const f = openFindingCountsSql();
          return Promise.all([raw(dataCenterRollupsSql({})), raw(crossDataCenterLinkGroupsSql({})), raw(f.drift), raw(f.residency)]);
        },
      },
      {
        name: "fleetGraph",
        pageLoad: true,
        procedure: () => caller.topology.fleetGraph({}),
        raw: () => Promise.all([raw(dataCenterRollupsSql({})), raw(fleetClustersSql({})), raw(crossDataCenterLinkGroupsSql({}))]),
      },
      {
        name: "dataCenterPanel",
        pageLoad: true,
        procedure: () => caller.topology.dataCenterPanel({ code }),
        raw: async () => {
          const [dc] = await raw(findDataCenterSql(code));
          const q = dataCenterPanelSql(dc!.id as string, {}, { limit: DATA_CENTER_PANEL_PAGE_SIZE, offset: 0 });
          return Promise.all([raw(q.summary), raw(q.clusters), raw(q.links), raw(q.internal)]);
        },
      },
      {
        name: "clusterGraph",
        pageLoad: true,
        procedure: () => caller.topology.clusterGraph({ cluster: clusterName }),
        raw: async () => {
          const [c] = await raw({
            text: `select c.*, t.slug, t.name as team_name from cluster c join team t on t.id = c.team_id where c.name = $1 limit 1`,
            values: [clusterName],
          });
          const q = clusterGraphSql(c!.id as string);
          return Promise.all([raw(q.links), raw(q.instances)]);
        },
      },
      {
        name: "search",
        pageLoad: false,
        procedure: () => caller.topology.search({ q: "pay" }),
        raw: () => {
          const q = searchSql({ q: "pay", limit: 6 });
          return Promise.all([q.dataCenters, q.clusters, q.instances].map((s) => (s ? raw(s) : [])));
        },
      },
      {
        name: "listClusters",
        pageLoad: true,
        procedure: () => caller.inventory.listClusters({}),
        raw: () => rawList(listClustersSql(clusters, clusters.pageSize, 0)),
      },
      {
        name: "listInstances",
        pageLoad: true,
        procedure: () => caller.inventory.listInstances({}),
        raw: () => rawList(listInstancesSql(instancesPage, instancesPage.pageSize, 0)),
      },
      {
        name: "listDataCenters",
        pageLoad: true,
        procedure: () => caller.inventory.listDataCenters({}),
        raw: () => rawList(listDataCentersSql(dataCenters, dataCenters.pageSize, 0)),
      },
      {
        name: "filterOptions",
        pageLoad: true,
        procedure: () => caller.inventory.filterOptions(),
        raw: () => Promise.all(Object.values(filterOptionsSql()).map((s) => raw(s))),
      },
      {
        name: `planner: drain busiest DC`,
        pageLoad: false,
        procedure: () => dbaCaller.v1.planChange(drainFile),
        raw: () => {
          const q = clusterSnapshotsSql({ dataCenterId: dcId });
          return Promise.all([raw(q.clusters), raw(q.instances), raw(q.links), raw(dataCenterSnapshotsSql())]);
        },
      },
    ];

    const blast = (await dbaCaller.v1.planChange(drainFile)) as { blastRadius: { clusters: unknown[]; instances: unknown[] }; plan: { steps: unknown[] } };
    log(
      `${size!.instances} instances, ${size!.clusters} clusters, ${size!.links} links; drain of ${code}: ${blast.blastRadius.clusters.length} clusters, ${blast.blastRadius.instances.length} instances, ${blast.plan.steps.length} steps`,
    );

    const results: TResult[] = [];
    for (const c of cases) {
      const warm = Date.now();
      for (let i = 0; i < 3 || (i < 10 && Date.now() - warm < 3000); i++) {
        await c.procedure();
        await c.raw();
      }
      const t = { proc: [] as number[], raw: [] as number[] };
      const started = performance.now();
      for (let i = 0; i < SAMPLES && (i < MIN_SAMPLES || performance.now() - started < MAX_MS); i++) {
        const order = i % 2 ? (["raw", "proc"] as const) : (["proc", "raw"] as const);
        for (const k of order) {
          const s = performance.now();
          await (k === "proc" ? c.procedure() : c.raw());
          t[k].push(performance.now() - s);
        }
      }
      t.proc.sort((a, b) => a - b);
      t.raw.sort((a, b) => a - b);
      results.push({ name: c.name, pageLoad: c.pageLoad, n: t.proc.length, raw: t.raw, proc: t.proc });
      log(
        `${String(instances).padStart(6)} ${c.name.padEnd(26)} raw p50 ${pct(t.raw, 50).toFixed(1)} p95 ${pct(t.raw, 95).toFixed(1)} | procedure p50 ${pct(t.proc, 50).toFixed(1)} p95 ${pct(t.proc, 95).toFixed(1)} ms (x${(pct(t.proc, 95) / pct(t.raw, 95)).toFixed(2)}, ${t.proc.length} calls)`,
      );
    }
    return { results, seedSeconds, size: size as Record<string, number> };
  } finally {
    await prisma.$disconnect();
    await pool.end();
  }
}

/** log(t2/t1) / log(n2/n1): 1 is linear growth, 0 flat, above 1 superlinear. */
function exponent(t1: number, t2: number, n1: number, n2: number): number {
  return Math.log(t2 / t1) / Math.log(n2 / n1);
}

const COLORS = ["#2563eb", "#dc2626", "#16a34a", "#9333ea", "#ea580c", "#0891b2", "#db2777", "#65a30d", "#4b5563", "#ca8a04", "#7c3aed"];

/** Log-log chart, hand-built SVG: p95 of each procedure against the fleet size, plus the 100 ms goal and a linear slope for reference. */
function chart(sizes: number[], byName: Map<string, number[]>, pageLoad: ReadonlySet<string>): string {
  const W = 860, H = 520, L = 70, R = 250, T = 40, B = 60;
  const all = [...byName.values()].flat().filter((v) => v > 0);
  const yMin = 10 ** Math.floor(Math.log10(Math.min(...all, 1)));
  const yMax = 10 ** Math.ceil(Math.log10(Math.max(...all, 100)));
  const xMin = 10 ** Math.floor(Math.log10(Math.min(...sizes)));
  const xMax = 10 ** Math.ceil(Math.log10(Math.max(...sizes)));
  const x = (n: number) => L + ((Math.log10(n) - Math.log10(xMin)) / (Math.log10(xMax) - Math.log10(xMin))) * (W - L - R);
  const y = (v: number) => T + (1 - (Math.log10(v) - Math.log10(yMin)) / (Math.log10(yMax) - Math.log10(yMin))) * (H - T - B);
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="system-ui, sans-serif" font-size="12">`);
  out.push(`<rect width="${W}" height="${H}" fill="#ffffff"/>`);
  out.push(`<text x="${L}" y="22" font-size="15" font-weight="600">Meridian: p95 per call against fleet size (log-log)</text>`);
  for (let e = Math.log10(yMin); e <= Math.log10(yMax); e++) {
    const v = 10 ** e;
    out.push(`<line x1="${L}" x2="${W - R}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#e5e7eb"/>`);
    out.push(`<text x="${L - 8}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end">${v >= 1 ? v.toLocaleString("en-US") : v} ms</text>`);
  }
  for (let e = Math.log10(xMin); e <= Math.log10(xMax); e++) {
    const n = 10 ** e;
    out.push(`<line x1="${x(n).toFixed(1)}" x2="${x(n).toFixed(1)}" y1="${T}" y2="${H - B}" stroke="#e5e7eb"/>`);
    out.push(`<text x="${x(n).toFixed(1)}" y="${H - B + 18}" text-anchor="middle">${n.toLocaleString("en-US")}</text>`);
  }
  out.push(`<text x="${(L + W - R) / 2}" y="${H - 18}" text-anchor="middle">instances in the fleet</text>`);
  out.push(`<rect x="${L}" y="${T}" width="${W - L - R}" height="${H - T - B}" fill="none" stroke="#9ca3af"/>`);
  // The page-load goal and a linear reference (slope 1 through the smallest size's median p95).
  out.push(`<line x1="${L}" x2="${W - R}" y1="${y(100).toFixed(1)}" y2="${y(100).toFixed(1)}" stroke="#111827" stroke-dasharray="6 4"/>`);
  out.push(`<text x="${L + 6}" y="${(y(100) - 5).toFixed(1)}" fill="#111827">100 ms goal (page-load reads)</text>`);
  const firsts = [...byName.values()].map((v) => v[0]!).sort((a, b) => a - b);
  const ref = firsts[Math.floor(firsts.length / 2)]!;
  const n0 = sizes[0]!, n1 = sizes[sizes.length - 1]!;
  out.push(
    `<line x1="${x(n0).toFixed(1)}" y1="${y(ref).toFixed(1)}" x2="${x(n1).toFixed(1)}" y2="${y(Math.min(yMax, (ref * n1) / n0)).toFixed(1)}" stroke="#9ca3af" stroke-dasharray="2 3"/>`,
  );
  out.push(`<text x="${(x(n1) - 4).toFixed(1)}" y="${(y(Math.min(yMax, (ref * n1) / n0)) + 14).toFixed(1)}" text-anchor="end" fill="#6b7280">linear growth</text>`);
  let i = 0;
  for (const [name, ys] of byName) {
    const color = COLORS[i % COLORS.length]!;
    const pts = ys.map((v, k) => `${x(sizes[k]!).toFixed(1)},${y(Math.max(v, yMin)).toFixed(1)}`);
    out.push(`<polyline points="${pts.join(" ")}" fill="none" stroke="${color}" stroke-width="2"/>`);
    for (const p of pts) out.push(`<circle cx="${p.split(",")[0]}" cy="${p.split(",")[1]}" r="3" fill="${color}"/>`);
    const ly = T + 10 + i * 20;
    out.push(`<line x1="${W - R + 16}" x2="${W - R + 40}" y1="${ly}" y2="${ly}" stroke="${color}" stroke-width="2"/>`);
    out.push(`<text x="${W - R + 46}" y="${ly + 4}">${name.replace(/&/g, "&amp;").replace(/</g, "&lt;")}${pageLoad.has(name) ? "" : " *"}</text>`);
    i++;
  }
  out.push(`<text x="${W - R + 16}" y="${T + 16 + i * 20}" fill="#6b7280">* not read on page load</text>`);
  out.push(`</svg>`);
  return out.join("\n") + "\n";
}

async function main(): Promise<void> {
  const client = new pg.Client({ connectionString: values["server-url"] });
  await client.connect();
  const { rows } = await client.query("show server_version");
  await client.end();
  log(`PostgreSQL ${(rows[0] as { server_version: string }).server_version}; load average at start ${load()}; ${os.cpus().length} CPUs`);
  log(`sizes ${SIZES.join(", ")}; up to ${SAMPLES} calls per variant (at least ${MIN_SAMPLES}, stopping after ${MAX_MS / 1000} s), procedure and raw SQL alternating`);

  const runs: { instances: number; results: TResult[]; seedSeconds: number | null; size: Record<string, number> }[] = [];
  for (const n of SIZES) runs.push({ instances: n, ...(await measureSize(n)) });

  const names = runs[0]!.results.map((r) => r.name);
  const f = (v: number) => (v >= 100 ? v.toFixed(0) : v.toFixed(1));
  console.log("\nSeed times: " + runs.map((r) => `${r.instances.toLocaleString("en-US")}: ${r.seedSeconds === null ? "reused" : `${r.seedSeconds.toFixed(1)} s`}`).join("; "));
  console.log(`\n| call | ${runs.map((r) => `${r.instances.toLocaleString("en-US")}: raw p50 / p95 | procedure p50 / p95`).join(" | ")} | exponent p95 ${runs.slice(1).map((r, k) => `${runs[k]!.instances / 1000}k->${r.instances / 1000}k`).join(", ")} |`);
  console.log(`| --- | ${runs.map(() => "--- | ---").join(" | ")} | --- |`);
  const byName = new Map<string, number[]>();
  const misses: string[] = [];
  for (const name of names) {
    const per = runs.map((r) => r.results.find((x) => x.name === name)!);
    const p95 = per.map((r) => pct(r.proc, 95));
    const p50 = per.map((r) => pct(r.proc, 50));
    byName.set(name, p95);
    const exps = runs.slice(1).map((r, k) => exponent(p95[k]!, p95[k + 1]!, runs[k]!.size.instances!, r.size.instances!));
    const exps50 = runs.slice(1).map((r, k) => exponent(p50[k]!, p50[k + 1]!, runs[k]!.size.instances!, r.size.instances!));
    console.log(
      `| ${name}${per[0]!.pageLoad ? "" : " *"} | ${per.map((r) => `${f(pct(r.raw, 50))} / ${f(pct(r.raw, 95))} | ${f(pct(r.proc, 50))} / ${f(pct(r.proc, 95))}`).join(" | ")} | ${exps.map((e) => e.toFixed(2)).join(", ")} (p50 ${exps50.map((e) => e.toFixed(2)).join(", ")}) |`,
    );
    const last = p95[p95.length - 1]!;
    if (per[0]!.pageLoad && runs[runs.length - 1]!.instances >= 100_000 && last >= 100) misses.push(`${name}: p95 ${f(last)} ms at ${runs[runs.length - 1]!.instances} instances`);
    if (exps.some((e) => e > 1.1)) misses.push(`${name}: grows faster than linearly (p95 exponents ${exps.map((e) => e.toFixed(2)).join(", ")})`);
  }
  console.log("\n* not read on page load (search as the user types; the planner when a change is filed or dry-run)");
  console.log("Procedure / raw SQL p95 at the largest size: " + names.map((name) => {
    const r = runs[runs.length - 1]!.results.find((x) => x.name === name)!;
    return `${name} ${(pct(r.proc, 95) / pct(r.raw, 95)).toFixed(2)}x`;
  }).join(", "));
  const pageLoad = new Set(runs[0]!.results.filter((r) => r.pageLoad).map((r) => r.name));
  writeFileSync(values.svg!, chart(runs.map((r) => r.size.instances!), byName, pageLoad));
  log(`chart written to ${path.relative(ROOT, values.svg!)}`);
  log(misses.length ? `goals missed: ${misses.join("; ")}` : "goals met: every page-load read under 100 ms p95 at the largest size, no call grows faster than linearly");
  log(`load average at end ${load()}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
