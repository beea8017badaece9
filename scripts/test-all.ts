/**
 * The whole suite, in the order a reviewer wants to hear about failures:
 *   lint -> typecheck -> drift check -> unit + integration tests (real PostgreSQL)
 *   -> next build -> Playwright e2e in Chromium against `next start`.
 * One PostgreSQL serves the run: TEST_DATABASE_URL when set, else an embedded PostgreSQL 17
 * started here (throw-away data folder) and stopped at the end.
 * Flags: --skip-e2e, --only=<step>[,<step>] (lint,typecheck,drift,test,build,e2e)
 */
import { spawn } from "node:child_process";
import { mkdtempSync, chmodSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { startEmbeddedPostgres } from "@meridian/db/embedded";
import { recreateDatabase } from "@meridian/db/migrations";
import { ChromiumUnavailable, ensureChromium } from "./chromium";

const root = path.resolve(import.meta.dirname, "..");
const args = process.argv.slice(2);
const only = args.find((a) => a.startsWith("--only="))?.slice(7).split(",");
const skipE2e = args.includes("--skip-e2e");
const want = (step: string) => (!only || only.includes(step)) && !(step === "e2e" && skipE2e);
const timings: Array<[string, number, boolean]> = [];

/**
 * Runs one step as a child process. Asynchronous on purpose: the embedded PostgreSQL writes its
 * log to a pipe that this process must keep draining; a blocking spawnSync would let that pipe
 * fill up, and PostgreSQL (its checkpointer first) would hang on its next log line.
 */
async function run(step: string, cmd: string, cmdArgs: string[], env: NodeJS.ProcessEnv = {}): Promise<void> {
  if (!want(step)) return;
  console.log(`\n=== ${step}: ${cmd} ${cmdArgs.join(" ")}`);
  const t = Date.now();
  const child = spawn(cmd, cmdArgs, { cwd: root, stdio: "inherit", env: { ...process.env, ...env } });
  const status = await new Promise<number | null>((resolve) => {
    child.on("exit", (code) => resolve(code));
    child.on("error", () => resolve(null));
  });
  const ok = status === 0;
  timings.push([step, (Date.now() - t) / 1000, ok]);
  if (!ok) throw new StepFailed(step);
}

class StepFailed extends Error {
  constructor(step: string) {
    super(`step ${step} failed`);
  }
}

let stopDb: (() => Promise<void>) | undefined;
let tmp: string | undefined;

function summary(): void {
  console.log("\n=== summary");
  for (const [step, seconds, ok] of timings) console.log(`${ok ? "ok  " : "FAIL"} ${step.padEnd(10)} ${seconds.toFixed(1)} s`);
}

function finish(code: number): never {
  summary();
  const done = () => {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
    process.exit(code);
  };
  if (stopDb) void stopDb().finally(done);
  else done();
  // process.exit happens in done(); keep TypeScript happy about `never`.
  return undefined as never;
}

async function main(): Promise<void> {
  const pnpmExec = process.env.MERIDIAN_PNPM ? (JSON.parse(process.env.MERIDIAN_PNPM) as string[]) : ["pnpm"];
  const [pnpmCmd, ...pnpmPre] = pnpmExec as [string, ...string[]];
  const pn = (step: string, a: string[], env?: NodeJS.ProcessEnv) => run(step, pnpmCmd, [...pnpmPre, ...a], env);


  await pn("lint", ["turbo", "run", "lint", "--output-logs=errors-only"]);
  await pn("typecheck", ["turbo", "run", "typecheck", "--output-logs=errors-only"]);
  await pn("typecheck", ["run", "check:scripts"]);

  const needsDb = ["drift", "test", "e2e"].some(want);
  let serverUrl = process.env.TEST_DATABASE_URL;
  if (needsDb && !serverUrl) {
    tmp = mkdtempSync(path.join(os.tmpdir(), "meridian-suite-pg-"));
    chmodSync(tmp, 0o755);
    const t = Date.now();
    const server = await startEmbeddedPostgres({ dataDir: path.join(tmp, "data"), port: 0, ephemeral: true });
    stopDb = server.stop;
    serverUrl = server.url;
    console.log(`embedded PostgreSQL 17 for the suite on port ${server.port} (${((Date.now() - t) / 1000).toFixed(1)} s)`);
  }

  if (want("drift") && serverUrl) {
    const url = await recreateDatabase(serverUrl, "meridian_drift_check");
    await pn("drift", ["--filter", "@meridian/db", "exec", "tsx", "src/cli.ts", "drift"], { DATABASE_URL: url });
  }
  // e2e runs last, against the build: keep its `test` script out of the turbo test run.
  await pn("test", ["turbo", "run", "test", "--concurrency=1", "--output-logs=full", "--filter=!@meridian/e2e"], {
    TEST_DATABASE_URL: serverUrl,
  });
  await pn("build", ["turbo", "run", "build", "--filter=@meridian/console", "--output-logs=errors-only"]);

  if (want("e2e") && serverUrl) {
    let chromium: string;
    try {
      chromium = ensureChromium(root, (line) => console.log(`[e2e] ${line}`));
    } catch (error) {
      console.error(`\n${error instanceof ChromiumUnavailable ? error.message : String(error)}`);
      throw new StepFailed("e2e");
    }
    const url = await recreateDatabase(serverUrl, "meridian_e2e");
    await pn("e2e", ["--filter", "@meridian/e2e", "test"], { E2E_DATABASE_URL: url, CHROMIUM_PATH: chromium });
  }
  finish(0);
}

main().catch((error: unknown) => {
  if (!(error instanceof StepFailed)) console.error(error);
  finish(1);
});
