/**
 * Team API benchmark: the REST layer (/api/v1 through the route handler: token check, rate
 * limit, Idempotency-Key, trpc-to-openapi, problem+json) against the same procedure called
 * through tRPC's fetch handler with a session, alternating in one run on one database:
 * - GET /api/v1/clusters vs tRPC v1.listClusters (query);
 * - POST /api/v1/changes/plan vs tRPC v1.planChange (the dry run: plans like filing, writes nothing);
 * - POST /api/v1/changes (files a DRAFT, Idempotency-Key) vs tRPC v1.fileChange;
 * - the rate limiter's own cost per request (TokenBuckets.take), in a tight loop.
 *
 *   flock /tmp/meridian-heavy.lock npx tsx bench/team-api.ts [--samples 200] [--server-url postgresql://postgres@127.0.0.1:5432/postgres]
 */
import { parseArgs } from "node:util";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { appRouter } from "../packages/api/src/index.ts";
import { createRestHandler, TokenBuckets } from "../packages/api/src/rest/index.ts";
import { setupTeamApiFixture } from "../packages/api/src/test/team-api-fixtures.ts";
import { ensureTemplate } from "../packages/db/src/testing/template.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
type TFetchRequestHandler = (options: { endpoint: string; req: Request; router: unknown; createContext: () => unknown }) => Promise<Response>;
const { fetchRequestHandler } = createRequire(path.join(ROOT, "packages/api/package.json"))("@trpc/server/adapters/fetch") as {
  fetchRequestHandler: TFetchRequestHandler;
};

const { values } = parseArgs({
  args: process.argv.slice(2).filter((a) => a !== "--"),
  options: {
    samples: { type: "string", default: "200" },
    "server-url": { type: "string", default: "postgresql://postgres@127.0.0.1:5432/postgres" },
  },
});
const SAMPLES = Number(values.samples);
const log = (line: string) => console.log(`[team-api] ${line}`);

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
}
const fmt = (ms: number) => `${ms.toFixed(2)} ms`;

async function main(): Promise<void> {
  process.env.TEST_DATABASE_URL = values["server-url"];
  await ensureTemplate(values["server-url"]!);
  const { createTestDatabase } = await import("../packages/db/src/testing/index.ts");
  const db = await createTestDatabase();
  try {
    log("seeding 2,000 instances and tokens");
    const fx = await setupTeamApiFixture(db.prisma, { instances: 2000 });
    const rest = createRestHandler({ prisma: db.prisma, rateLimit: { perMinute: 1_000_000, burst: 1_000_000 } });
    const token = fx.tokens.right;
    // The same principal over tRPC: the session user the token acts as, with the token in the context.
    const prefix = token.split("_")[1]!;
    const row = await db.prisma.apiToken.findUniqueOrThrow({ where: { prefix } });
    const creator = await db.prisma.user.findUniqueOrThrow({ where: { id: row.createdById } });
    const ctx = {
      prisma: db.prisma,
      user: { id: creator.id, email: creator.email, name: creator.name, roles: ["VIEWER", "ENGINEER"], teamIds: [row.teamId] },
      token: { id: row.id, name: row.name, prefix, teamId: row.teamId, scopes: row.scopes, clusterIds: row.clusterIds, createdById: row.createdById, expiresAt: row.expiresAt },
    };
    const trpc = (path: string, type: "query" | "mutation", input: unknown) => {
      const url = new URL(`http://bench/api/trpc/${path}`);
      if (type === "query") url.searchParams.set("input", JSON.stringify({ json: input }));
      return fetchRequestHandler({
        endpoint: "/api/trpc",
        req: new Request(url, { method: type === "query" ? "GET" : "POST", headers: { "content-type": "application/json" }, body: type === "mutation" ? JSON.stringify({ json: input }) : undefined }),
        router: appRouter,
        createContext: () => ctx,
      });
    };
    let seq = 0;
    const restCall = (method: string, p: string, body?: unknown) =>
      rest(
        new Request(`http://bench/api/v1${p}`, {
          method,
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json", ...(method === "POST" ? { "idempotency-key": `bench-${++seq}` } : {}) },
          body: body === undefined ? undefined : JSON.stringify(body),
        }),
      );
    const fileBody = (i: number) => ({ ...fx.switchoverFile, reason: `Benchmark request ${i}` });

    const cases: { name: string; rest: (i: number) => Promise<Response>; trpc: (i: number) => Promise<Response>; samples: number }[] = [
      { name: "GET clusters", rest: () => restCall("GET", "/clusters?limit=50"), trpc: () => trpc("v1.listClusters", "query", { limit: 50 }), samples: SAMPLES },
      { name: "POST plan (dry run)", rest: (i) => restCall("POST", "/changes/plan", fileBody(i)), trpc: (i) => trpc("v1.planChange", "mutation", fileBody(i)), samples: Math.max(20, SAMPLES / 4) },
      { name: "POST change request", rest: (i) => restCall("POST", "/changes", fileBody(i)), trpc: (i) => trpc("v1.fileChange", "mutation", fileBody(i)), samples: Math.max(20, SAMPLES / 4) },
    ];
    for (const c of cases) {
      for (let i = 0; i < 10; i++) {
        await (await c.rest(-i)).arrayBuffer();
        await (await c.trpc(-i - 100)).arrayBuffer();
      }
      const r: number[] = [];
      const t: number[] = [];
      for (let i = 0; i < c.samples; i++) {
        const order = i % 2 === 0 ? (["rest", "trpc"] as const) : (["trpc", "rest"] as const);
        for (const side of order) {
          const start = performance.now();
          const res = await (side === "rest" ? c.rest(i * 2) : c.trpc(i * 2 + 1));
          await res.arrayBuffer();
          if (res.status !== 200) throw new Error(`${c.name} ${side}: ${res.status}`);
          (side === "rest" ? r : t).push(performance.now() - start);
        }
      }
      r.sort((a, b) => a - b);
      t.sort((a, b) => a - b);
      log(`${c.name} (${c.samples} each): REST p50 ${fmt(pct(r, 50))} p95 ${fmt(pct(r, 95))} | tRPC p50 ${fmt(pct(t, 50))} p95 ${fmt(pct(t, 95))} | REST/tRPC p95 ${(pct(r, 95) / pct(t, 95)).toFixed(2)}x`);
    }
    const buckets = new TokenBuckets({ perMinute: 600, burst: 120 });
    const n = 1_000_000;
    const start = performance.now();
    for (let i = 0; i < n; i++) buckets.take(`token-${i % 100}`, i);
    log(`rate limiter: ${(((performance.now() - start) * 1e6) / n).toFixed(0)} ns per request (${n} takes over 100 tokens)`);
  } finally {
    await db.drop();
  }
}

await main();
process.exit(0);
