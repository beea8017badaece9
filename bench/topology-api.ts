/**
 * Topology API benchmark: the map and topology procedures at 10,000 instances, each side by
 * side with the raw SQL for the same data in the same run (the very statements the service
 * sends, built by its exported SQL builders, run through `pg` with no Prisma, no tRPC and no
 * post-processing). Calls alternate between the two; percentiles over `--samples` calls each.
 * See bench/README.md.
 *
 *   flock /tmp/meridian-heavy.lock npx tsx bench/topology-api.ts [--instances 10000] [--links 10000]
 *       [--samples 200] [--server-url postgresql://postgres@127.0.0.1:5432/postgres] [--reuse] [--only fleetGraph]
 */
import { parseArgs } from "node:util";
import { gzipSync } from "node:zlib";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createCaller, createContext, appRouter } from "../packages/api/src/index.ts";
import {
  crossDataCenterLinkGroupsSql,
  dataCenterRollupsSql,
} from "../packages/api/src/services/topology/rollups.ts";
import { fleetClustersSql } from "../packages/api/src/services/topology/fleet-graph.ts";
import { dataCenterPanelSql, findDataCenterSql } from "../packages/api/src/services/topology/data-center-panel.ts";
import { DATA_CENTER_PANEL_PAGE_SIZE } from "../packages/api/src/routers/topology/data-center-panel.schema.ts";
import { clusterGraphSql } from "../packages/api/src/services/topology/cluster-graph.ts";
import { searchSql } from "../packages/api/src/services/topology/search.ts";
import { createPrismaClient } from "../packages/db/src/client.ts";
import { loadAverage, pg, postgresVersion, prepareTopologyDatabase } from "./topology-fixture.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
type TFetchRequestHandler = (options: { endpoint: string; req: Request; router: unknown; createContext: () => unknown }) => Promise<Response>;
const { fetchRequestHandler } = createRequire(path.join(ROOT, "packages/api/package.json"))("@trpc/server/adapters/fetch") as {
  fetchRequestHandler: TFetchRequestHandler;
};

const { values } = parseArgs({
  args: process.argv.slice(2).filter((a) => a !== "--"),
  options: {
    instances: { type: "string", default: "10000" },
    links: { type: "string", default: "10000" },
    samples: { type: "string", default: "200" },
    "server-url": { type: "string", default: "postgresql://postgres@127.0.0.1:5432/postgres" },
    name: { type: "string", default: "meridian_bench_topology" },
    reuse: { type: "boolean", default: false },
    /** Only the cases whose name contains this text, e.g. `--only fleetGraph`. */
    only: { type: "string", default: "" },
  },
});
const SAMPLES = Number(values.samples);
const log = (line: string) => console.log(`[topology-api] ${line}`);

type TSqlLike = { text: string; values: unknown[] };

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
}

async function main(): Promise<void> {
  const loadAtStart = loadAverage();
  log(`load average at start (1 / 5 / 15 min): ${loadAtStart}`);
  const { url, size } = await prepareTopologyDatabase({
    serverUrl: values["server-url"]!,
    name: values.name!,
    instances: Number(values.instances),
    links: Number(values.links),
    reuse: values.reuse!,
    log,
  });
  const prisma = createPrismaClient(url, { max: 10 });
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  const raw = (sql: TSqlLike) => pool.query({ text: sql.text, values: sql.values as unknown[] }).then((r) => r.rows);
  const user = { id: "00000000-0000-4000-8000-000000000001", email: "bench@meridian.local", name: "Bench", roles: ["VIEWER" as const] };
  const caller = createCaller(createContext({ prisma, user }));
  const http = async (pathName: string, input: unknown) => {
    const u = new URL(`http://bench.local/api/trpc/${pathName}`);
    u.searchParams.set("input", JSON.stringify({ json: input }));
    const res = await fetchRequestHandler({ endpoint: "/api/trpc", req: new Request(u), router: appRouter, createContext: () => ({ prisma, user }) });
    return res.text();
  };

  // Inputs: the busiest data center, a T0 cluster with the most instances.
  const [busy] = await raw({ text: "select d.code, d.id::text as id from data_center d join instance i on i.data_center_id = d.id group by d.id order by count(*) desc limit 1", values: [] });
  const [big] = await raw({
    text: "select c.id::text as id, c.name from cluster c join instance i on i.cluster_id = c.id where c.tier = 'T0' group by c.id order by count(*) desc, c.name limit 1",
    values: [],
  });
  const code = busy.code as string;
  const clusterName = big.name as string;
  const filtered = { jurisdiction: "EU", team: "payments" } as const;

  const cases: { name: string; procedure: () => Promise<unknown>; http: () => Promise<unknown>; raw: () => Promise<unknown> }[] = [
    {
      name: "mapOverview (all)",
      procedure: () => caller.topology.mapOverview({}),
      http: () => http("topology.mapOverview", {}),
      raw: () => Promise.all([raw(dataCenterRollupsSql({})), raw(crossDataCenterLinkGroupsSql({}))]),
    },
    {
      name: "mapOverview (EU, team)",
      procedure: () => caller.topology.mapOverview(filtered),
      http: () => http("topology.mapOverview", filtered),
      raw: () => Promise.all([raw(dataCenterRollupsSql(filtered)), raw(crossDataCenterLinkGroupsSql(filtered))]),
    },
    {
      name: "fleetGraph (all)",
      procedure: () => caller.topology.fleetGraph({}),
      http: () => http("topology.fleetGraph", {}),
      raw: () => Promise.all([raw(dataCenterRollupsSql({})), raw(fleetClustersSql({})), raw(crossDataCenterLinkGroupsSql({}))]),
    },
    {
      name: `dataCenterPanel (${code})`,
      procedure: () => caller.topology.dataCenterPanel({ code }),
      http: () => http("topology.dataCenterPanel", { code }),
      raw: async () => {
        const [dc] = await raw(findDataCenterSql(code));
        const q = dataCenterPanelSql(dc.id as string, {}, { limit: DATA_CENTER_PANEL_PAGE_SIZE, offset: 0 });
        return Promise.all([raw(q.summary), raw(q.clusters), raw(q.links), raw(q.internal)]);
      },
    },
    {
      name: "clusterGraph (largest T0)",
      procedure: () => caller.topology.clusterGraph({ cluster: clusterName }),
      http: () => http("topology.clusterGraph", { cluster: clusterName }),
      raw: async () => {
        const [c] = await raw({
          text: `select c.*, t.slug, t.name as team_name from cluster c join team t on t.id = c.team_id where lower(c.name) = lower($1) limit 1`,
          values: [clusterName],
        });
        const q = clusterGraphSql(c.id as string);
        return Promise.all([raw(q.links), raw(q.instances)]);
      },
    },
    {
      name: 'search ("pay")',
      procedure: () => caller.topology.search({ q: "pay" }),
      http: () => http("topology.search", { q: "pay" }),
      raw: () => {
        const q = searchSql({ q: "pay", limit: 6 });
        return Promise.all([q.dataCenters, q.clusters, q.instances].map((s) => (s ? raw(s) : [])));
      },
    },
  ];

  log(`PostgreSQL: ${await postgresVersion(url)}`);
  log(`${size.instances} instances, ${size.links} links, ${size.clusters} clusters, ${size.dataCenters} data centers; ${SAMPLES} calls per variant, interleaved`);
  const results: Record<string, unknown>[] = [];
  for (const c of cases.filter((x) => x.name.includes(values.only!))) {
    for (let i = 0; i < 15; i++) {
      await c.procedure();
      await c.http();
      await c.raw();
    }
    const t = { procedure: [] as number[], http: [] as number[], raw: [] as number[] };
    for (let i = 0; i < SAMPLES; i++) {
      const order = (["procedure", "http", "raw"] as const).slice();
      if (i % 2) order.reverse();
      for (const k of order) {
        const s = performance.now();
        await c[k]();
        t[k].push(performance.now() - s);
      }
    }
    for (const k of ["procedure", "http", "raw"] as const) t[k].sort((a, b) => a - b);
    const body = (await c.http()) as string;
    const bytes = Buffer.byteLength(body);
    const row = {
      procedure: c.name,
      "raw p50": pct(t.raw, 50),
      "raw p95": pct(t.raw, 95),
      "proc p50": pct(t.procedure, 50),
      "proc p95": pct(t.procedure, 95),
      "http p50": pct(t.http, 50),
      "http p95": pct(t.http, 95),
      "proc/raw p95": pct(t.procedure, 95) / pct(t.raw, 95),
      "http/raw p95": pct(t.http, 95) / pct(t.raw, 95),
      "response KiB": bytes / 1024,
      "gzip KiB": gzipSync(body).length / 1024,
    };
    results.push(row);
    log(
      `${c.name.padEnd(28)} raw p50 ${row["raw p50"].toFixed(1)} p95 ${row["raw p95"].toFixed(1)} | procedure p50 ${row["proc p50"].toFixed(1)} p95 ${row["proc p95"].toFixed(1)} (x${row["proc/raw p95"].toFixed(2)}) | http p50 ${row["http p50"].toFixed(1)} p95 ${row["http p95"].toFixed(1)} (x${row["http/raw p95"].toFixed(2)}) ms | ${row["response KiB"].toFixed(0)} KiB (gzip ${row["gzip KiB"].toFixed(0)})`,
    );
  }
  console.log("\n| procedure | raw SQL p50 / p95 | procedure p50 / p95 | p95 ratio | HTTP handler p50 / p95 | p95 ratio | response |");
  console.log("| --- | --- | --- | --- | --- | --- | --- |");
  for (const r of results) {
    const f = (n: unknown) => (n as number).toFixed(1);
    console.log(
      `| ${r.procedure as string} | ${f(r["raw p50"])} / ${f(r["raw p95"])} ms | ${f(r["proc p50"])} / ${f(r["proc p95"])} ms | ${(r["proc/raw p95"] as number).toFixed(2)}x | ${f(r["http p50"])} / ${f(r["http p95"])} ms | ${(r["http/raw p95"] as number).toFixed(2)}x | ${(r["response KiB"] as number).toFixed(0)} KiB |`,
    );
  }
  const fleet = results.find((r) => r.procedure === "fleetGraph (all)");
  if (fleet) console.log(
    `\nfleetGraph targets: response < 200 KiB: ${(fleet["response KiB"] as number) < 200 ? "met" : "MISSED"} (${(fleet["response KiB"] as number).toFixed(0)} KiB); ` +
      `HTTP p95 < 50 ms: ${(fleet["http p95"] as number) < 50 ? "met" : "MISSED"} (${(fleet["http p95"] as number).toFixed(1)} ms)`,
  );
  console.log(`load average at start: ${loadAtStart}; at end: ${loadAverage()} (1 / 5 / 15 min)`);
  await prisma.$disconnect();
  await pool.end();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
