/**
 * Topology render benchmark: the fleet view (`/topology`) of the built console at 10,000
 * instances, in headless Chromium, side by side in the same run with a bare React Flow page
 * rendering the same nodes and edges (bench/topology-bare: default node types, positions from
 * the same layout function, no Meridian code), with and without onlyRenderVisibleElements.
 *
 * - First render: from navigation start to every data-center node and every edge in the DOM (Meridian: server
 *   render with the prefetched fleet, hydration, layout in the web worker; bare: static page,
 *   fetch of graph.json, render), `--loads` loads each, alternating.
 * - Frame times while zooming in (across the level-of-detail threshold), panning and zooming
 *   out: one input step per animation frame, dispatched in the page; per frame, the interval
 *   between animation frames and the main thread's work (rAF callback to the end of the
 *   frame's rendering). Chromium runs with the frame rate uncapped (`--disable-frame-rate-limit
 *   --disable-gpu-vsync`), so the interval is the frame's cost, not the 60 Hz vsync period.
 *
 * Needs the console built (`flock /tmp/meridian-heavy.lock npx next build` in apps/console).
 *
 *   flock /tmp/meridian-heavy.lock npx tsx bench/topology-render.ts [--reuse] [--loads 5] [--rounds 2]
 *       [--instances 10000] [--links 10000] [--server-url postgresql://postgres@127.0.0.1:5432/postgres]
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { type signIn } from "../e2e/fixtures/index.ts";
import { createCaller, createContext } from "../packages/api/src/index.ts";
import { createPrismaClient } from "../packages/db/src/client.ts";
import { decodeFleetGraph, fleetClusterOrder, fleetLayoutRequest, pairEdges } from "../apps/console/src/features/topology/fleet-model.ts";
import { CLUSTER_CELL, layoutFleet, type TFleetLayoutInput } from "../apps/console/src/features/topology/layout/layouts.ts";
import { loadAverage, postgresVersion, prepareTopologyDatabase, setDemoPassword } from "./topology-fixture.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const CONSOLE = path.join(ROOT, "apps/console");
// bench/ is not a workspace package: Playwright from e2e, esbuild from tsx, React from the console.
type TPage = Parameters<typeof signIn>[0];
type TChromium = {
  launch: (options: { executablePath?: string; args?: string[] }) => Promise<{
    newContext: (options: { viewport: { width: number; height: number }; colorScheme: "light" | "dark" }) => Promise<{ newPage: () => Promise<TPage> }>;
    close: () => Promise<void>;
  }>;
};
const { chromium } = createRequire(path.join(ROOT, "e2e/package.json"))("@playwright/test") as { chromium: TChromium };
type TEsbuild = { build: (options: Record<string, unknown>) => Promise<unknown> };
const esbuild = createRequire(createRequire(path.join(ROOT, "package.json")).resolve("tsx/package.json"))("esbuild") as TEsbuild;

const { values } = parseArgs({
  args: process.argv.slice(2).filter((a) => a !== "--"),
  options: {
    instances: { type: "string", default: "10000" },
    links: { type: "string", default: "10000" },
    loads: { type: "string", default: "5" },
    rounds: { type: "string", default: "2" },
    port: { type: "string", default: "3310" },
    "server-url": { type: "string", default: "postgresql://postgres@127.0.0.1:5432/postgres" },
    name: { type: "string", default: "meridian_bench_topology" },
    reuse: { type: "boolean", default: false },
    /** Spread the fleet over this many data centers (more data-center pairs: edges); see topology-fixture.ts. */
    "data-centers": { type: "string", default: "0" },
    chromium: { type: "string", default: "/usr/bin/chromium" },
  },
});
const log = (line: string) => console.log(`[topology-render] ${line}`);
const PORT = Number(values.port);
const BENCH_PASSWORD = "bench-only-demo-password";
const BARE_PORT = PORT + 1;

function pct(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
}

/** The bare page's nodes and edges: the fleet view's, as React Flow's default types. */
function bareGraph(wire: Awaited<ReturnType<ReturnType<typeof createCaller>["topology"]["fleetGraph"]>>) {
  const data = decodeFleetGraph(wire);
  const request = fleetLayoutRequest(data);
  const layout = layoutFleet(request.input as TFleetLayoutInput);
  const nodes: Record<string, unknown>[] = [];
  for (const [code, b] of Object.entries(layout.jurisdictions)) {
    nodes.push({ id: `j:${code}`, type: "group", position: { x: b.x, y: b.y }, style: { width: b.width, height: b.height }, data: {}, zIndex: -1, selectable: false });
  }
  for (const dc of data.dataCenters) {
    const b = layout.dataCenters[dc.code];
    if (!b) continue;
    nodes.push({ id: `dc:${dc.code}`, className: "bench-dc", position: { x: b.x, y: b.y }, style: { width: b.width, height: b.height }, data: { label: `${dc.code} · ${dc.city}` } });
  }
  for (const c of fleetClusterOrder(data.clusters)) {
    const p = layout.clusters[c.name];
    if (!p) continue;
    nodes.push({
      id: `cl:${c.name}`,
      parentId: `dc:${c.dataCenterCode}`,
      position: p,
      style: { width: CLUSTER_CELL.width, height: CLUSTER_CELL.height, fontSize: 11, padding: 4 },
      data: { label: c.name },
    });
  }
  const edges = pairEdges(data.edges).map((e) => ({ id: `e:${e.id}`, source: `dc:${e.a}`, target: `dc:${e.b}`, type: "straight" }));
  return { nodes, edges, dataCenters: data.dataCenters.length, clusters: data.clusters.length };
}

async function startBareServer(dir: string, graph: unknown): Promise<() => Promise<void>> {
  const consoleRequire = createRequire(path.join(CONSOLE, "package.json"));
  const entry = path.join(ROOT, "bench/topology-bare/entry.tsx");
  await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    format: "iife",
    jsx: "automatic",
    define: { "process.env.NODE_ENV": '"production"' },
    nodePaths: [path.join(CONSOLE, "node_modules")],
    outfile: path.join(dir, "bundle.js"),
    logLevel: "warning",
  });
  const files: Record<string, { type: string; body: Buffer | string }> = {
    "/": { type: "text/html", body: readFileSync(path.join(ROOT, "bench/topology-bare/index.html")) },
    "/bundle.js": { type: "text/javascript", body: readFileSync(path.join(dir, "bundle.js")) },
    "/style.css": { type: "text/css", body: readFileSync(consoleRequire.resolve("@xyflow/react/dist/style.css")) },
    "/graph.json": { type: "application/json", body: JSON.stringify(graph) },
  };
  const server = createServer((req, res) => {
    const file = files[(req.url ?? "/").split("?")[0]!];
    if (!file) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "content-type": file.type, "cache-control": "no-store" }).end(file.body);
  });
  await new Promise<void>((resolve) => server.listen(BARE_PORT, "127.0.0.1", resolve));
  return () => new Promise<void>((resolve) => server.close(() => resolve()));
}

async function startConsole(url: string): Promise<ChildProcess> {
  const child = spawn("pnpm", ["--filter", "@meridian/console", "start"], {
    cwd: ROOT,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      DATABASE_URL: url,
      PORT: String(PORT),
      NEXTAUTH_URL: `http://localhost:${PORT}`,
      NEXTAUTH_SECRET: "bench-only-secret-0123456789abcdef",
      // An external metadata database needs a credential key (this one is for the benchmark
      // only) and a chosen demo password (else the launcher replaces the published one with a
      // one-time password): the one the benchmark gives the demo users before it starts.
      MERIDIAN_CREDENTIAL_KEY: "bWVyaWRpYW4tYmVuY2gtY3JlZGVudGlhbC1rZXktMzI=",
      MERIDIAN_DEMO_PASSWORD: BENCH_PASSWORD,
      NEXT_TELEMETRY_DISABLED: "1",
    },
  });
  let output = "";
  child.stdout?.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
  for (let i = 0; i < 120; i++) {
    await new Promise((r) => setTimeout(r, 500));
    if (child.exitCode !== null) throw new Error(`the console did not start:\n${output}`);
    const ok = await fetch(`http://localhost:${PORT}/api/health`).then((r) => r.ok, () => false);
    if (ok) return child;
  }
  throw new Error(`the console did not answer in 60 s:\n${output}`);
}

type TFrameResult = { frames: number[]; work: number[] };

/** One input step per animation frame: zoom in across the detail threshold, pan, zoom out. */
async function interact(page: TPage): Promise<TFrameResult> {
  return page.evaluate(async () => {
    const pane = document.querySelector(".react-flow__pane") as HTMLElement;
    const r = pane.getBoundingClientRect();
    const cx = r.left + r.width / 2;
    const cy = r.top + r.height / 2;
    type TStep = { t: "wheel"; dy: number } | { t: "down" | "up" } | { t: "move"; dx: number; dy: number };
    const steps: TStep[] = [];
    for (let i = 0; i < 22; i++) steps.push({ t: "wheel", dy: -100 });
    steps.push({ t: "down" });
    for (let i = 1; i <= 60; i++) steps.push({ t: "move", dx: -8 * i, dy: -3 * i });
    steps.push({ t: "up" });
    for (let i = 0; i < 22; i++) steps.push({ t: "wheel", dy: 100 });
    const frames: number[] = [];
    const work: number[] = [];
    let previous = performance.now();
    for (const s of steps) {
      await new Promise<void>((resolve) =>
        requestAnimationFrame((ts) => {
          const start = performance.now();
          frames.push(ts - previous);
          previous = ts;
          const init = { clientX: cx, clientY: cy, bubbles: true, cancelable: true, view: window };
          if (s.t === "wheel") pane.dispatchEvent(new WheelEvent("wheel", { ...init, deltaY: s.dy, deltaMode: 0 }));
          else if (s.t === "down") pane.dispatchEvent(new MouseEvent("mousedown", { ...init, button: 0, buttons: 1 }));
          else if (s.t === "move") window.dispatchEvent(new MouseEvent("mousemove", { ...init, clientX: cx + s.dx, clientY: cy + s.dy, buttons: 1 }));
          else window.dispatchEvent(new MouseEvent("mouseup", { ...init, button: 0 }));
          // Runs after this frame's style, layout and paint: the main thread's cost of the step.
          const channel = new MessageChannel();
          channel.port1.onmessage = () => {
            work.push(performance.now() - start);
            resolve();
          };
          channel.port2.postMessage(0);
        }),
      );
    }
    // The first interval measures the wait before the loop, not a frame.
    frames.shift();
    return { frames, work };
  });
}

/**
 * From navigation start to every data-center node in the DOM (`nodes`), and to every node and
 * every edge (`all`: the graph drawn whole).
 */
async function firstRender(page: TPage, url: string, selector: string, count: number, edges: number): Promise<{ nodes: number; all: number }> {
  await page.goto(url, { waitUntil: "commit" });
  const handle = await page.waitForFunction(
    ({ selector, count, edges }: { selector: string; count: number; edges: number }) => {
      const w = window as unknown as { __nodes?: number; __all?: number };
      if (document.querySelectorAll(selector).length >= count) {
        w.__nodes ??= performance.now();
        if (document.querySelectorAll(".react-flow__edge").length >= edges) w.__all ??= performance.now();
      }
      return w.__all ? { nodes: w.__nodes!, all: w.__all } : null;
    },
    { selector, count, edges },
    { polling: "raf", timeout: 60_000 },
  );
  return (await handle.jsonValue()) as { nodes: number; all: number };
}

async function main(): Promise<void> {
  const loadAtStart = loadAverage();
  log(`load average at start (1 / 5 / 15 min): ${loadAtStart}`);
  const { url, size } = await prepareTopologyDatabase({
    serverUrl: values["server-url"]!,
    name: values.name!,
    instances: Number(values.instances),
    links: Number(values.links),
    dataCenters: Number(values["data-centers"]),
    reuse: values.reuse!,
    log,
  });
  log(`PostgreSQL: ${await postgresVersion(url)}`);
  await setDemoPassword(url, BENCH_PASSWORD);
  const prisma = createPrismaClient(url, { max: 4 });
  const caller = createCaller(createContext({ prisma, user: { id: "00000000-0000-4000-8000-000000000001", email: "b@x", name: "B", roles: ["VIEWER"] } }));
  const fleet = await caller.topology.fleetGraph({});
  await prisma.$disconnect();
  const graph = bareGraph(fleet);
  log(`fleet: ${size.instances} instances, ${size.links} links; graph: ${graph.nodes.length} nodes (${graph.dataCenters} data centers, ${graph.clusters} clusters), ${graph.edges.length} edges`);

  const dir = mkdtempSync(path.join(os.tmpdir(), "meridian-bare-"));
  const stopBare = await startBareServer(dir, { nodes: graph.nodes, edges: graph.edges });
  const consoleProcess = await startConsole(url);
  const browser = await chromium.launch({
    executablePath: values.chromium,
    args: ["--no-sandbox", "--disable-gpu", "--disable-frame-rate-limit", "--disable-gpu-vsync", "--disable-background-networking", "--no-first-run"],
  });
  try {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, colorScheme: "light" });
    const page = await context.newPage();
    await page.goto(`http://localhost:${PORT}/signin`);
    await page.getByLabel("Email").fill("dba@meridian.local");
    await page.getByLabel("Password").fill(BENCH_PASSWORD);
    await page.getByRole("button", { name: /sign in/i }).click();
    await page.waitForURL((u: URL) => !u.pathname.startsWith("/signin"));

    const variants = [
      { name: "Meridian fleet view", url: `http://localhost:${PORT}/topology`, selector: '[data-testid="topology-node"][data-kind="data-center"]' },
      { name: "bare React Flow", url: `http://127.0.0.1:${BARE_PORT}/`, selector: ".react-flow__node.bench-dc" },
      { name: "bare, visible only", url: `http://127.0.0.1:${BARE_PORT}/?visibleOnly=1`, selector: ".react-flow__node.bench-dc" },
    ];
    const firsts = new Map(variants.map((v) => [v.name, [] as number[]]));
    const firstNodes = new Map(variants.map((v) => [v.name, [] as number[]]));
    // Warm the server and the browser cache once each, then alternate.
    for (const v of variants) await firstRender(page, v.url, v.selector, graph.dataCenters, graph.edges.length);
    for (let i = 0; i < Number(values.loads); i++) {
      const order = i % 2 ? [...variants].reverse() : variants;
      for (const v of order) {
        const t = await firstRender(page, v.url, v.selector, graph.dataCenters, graph.edges.length);
        firsts.get(v.name)!.push(t.all);
        firstNodes.get(v.name)!.push(t.nodes);
      }
    }
    const frames = new Map(variants.map((v) => [v.name, { frames: [] as number[], work: [] as number[] }]));
    for (let round = 0; round < Number(values.rounds); round++) {
      for (const v of round % 2 ? [...variants].reverse() : variants) {
        await firstRender(page, v.url, v.selector, graph.dataCenters, graph.edges.length);
        await page.waitForTimeout(1500);
        const r = await interact(page);
        frames.get(v.name)!.frames.push(...r.frames);
        frames.get(v.name)!.work.push(...r.work);
      }
    }
    // Idle intervals: what one frame costs here with nothing to do (the floor of the frame numbers).
    const idle = await page.evaluate(async () => {
      const out: number[] = [];
      let prev = performance.now();
      for (let i = 0; i < 60; i++) await new Promise<void>((r) => requestAnimationFrame((ts) => (out.push(ts - prev), (prev = ts), r())));
      return out.slice(1);
    });

    const m = variants[0]!.name;
    const rows = variants.map((v) => {
      const f = firsts.get(v.name)!;
      const fr = frames.get(v.name)!;
      return {
        name: v.name,
        firstMedian: pct(f, 50),
        firstMax: Math.max(...f),
        nodesMedian: pct(firstNodes.get(v.name)!, 50),
        frameP50: pct(fr.frames, 50),
        frameP95: pct(fr.frames, 95),
        frameP99: pct(fr.frames, 99),
        workP50: pct(fr.work, 50),
        workP95: pct(fr.work, 95),
        n: fr.frames.length,
      };
    });
    const meridian = rows.find((r) => r.name === m)!;
    console.log(`\nidle frame interval here: p50 ${pct(idle, 50).toFixed(1)} ms, p95 ${pct(idle, 95).toFixed(1)} ms`);
    console.log("\n| page | first render: nodes and edges, median (max) | data-center nodes only, median | frame p50 / p95 / p99 | main-thread work per frame p50 / p95 | frames |");
    console.log("| --- | --- | --- | --- | --- | --- |");
    for (const r of rows) {
      console.log(
        `| ${r.name} | ${r.firstMedian.toFixed(0)} ms (${r.firstMax.toFixed(0)}) | ${r.nodesMedian.toFixed(0)} ms | ${r.frameP50.toFixed(1)} / ${r.frameP95.toFixed(1)} / ${r.frameP99.toFixed(1)} ms | ${r.workP50.toFixed(1)} / ${r.workP95.toFixed(1)} ms | ${r.n} |`,
      );
    }
    console.log("\nMeridian over each baseline (Meridian / baseline; below 1 means Meridian is faster):");
    for (const r of rows.filter((x) => x.name !== m)) {
      console.log(
        `  vs ${r.name}: first render ${(meridian.firstMedian / r.firstMedian).toFixed(2)}x (nodes only ${(meridian.nodesMedian / r.nodesMedian).toFixed(2)}x), frame p95 ${(meridian.frameP95 / r.frameP95).toFixed(2)}x, main-thread work p95 ${(meridian.workP95 / r.workP95).toFixed(2)}x`,
      );
    }
    console.log(`load average at start: ${loadAtStart}; at end: ${loadAverage()} (1 / 5 / 15 min)`);
    console.log(
      `\ntargets: first render < 1500 ms: ${meridian.firstMedian < 1500 ? "met" : "MISSED"} (${meridian.firstMedian.toFixed(0)} ms); ` +
        `p95 frame < 16.7 ms: ${meridian.frameP95 < 16.7 ? "met" : "MISSED"} (${meridian.frameP95.toFixed(1)} ms)`,
    );
  } finally {
    await browser.close();
    if (consoleProcess.pid) {
      try {
        process.kill(-consoleProcess.pid, "SIGTERM");
      } catch {
        // already gone
      }
    }
    await stopBare();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
