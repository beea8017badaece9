#!/usr/bin/env node
// The two quick-start commands land here: `npm start` and `npm test`.
// Needs only Node 20+: fetches pnpm 12.4.2 through npx when it is not installed, installs
// the workspace (frozen lockfile), then hands over to the real work.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const PNPM_VERSION = "12.4.2";
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const command = process.argv[2];
const rest = process.argv.slice(3);

const [major] = process.versions.node.split(".").map(Number);
if (major < 20) {
  console.error(`Meridian needs Node 20 or newer (this is ${process.versions.node}).`);
  process.exit(1);
}

const baseEnv = {
  ...process.env,
  TURBO_TELEMETRY_DISABLED: "1",
  NEXT_TELEMETRY_DISABLED: "1",
  COREPACK_ENABLE_STRICT: "0",
  CHECKPOINT_DISABLE: "1",
};

function pnpmCommand() {
  const probe = spawnSync("pnpm", ["--version"], { encoding: "utf8", env: baseEnv });
  if (probe.status === 0 && probe.stdout.trim() === PNPM_VERSION) return ["pnpm", []];
  return ["npx", ["--yes", `pnpm@${PNPM_VERSION}`]];
}

const [pnpmBin, pnpmPrefix] = pnpmCommand();
// test-all.ts runs pnpm again: tell it how (npm_execpath points at npm under `npm test`).
baseEnv.MERIDIAN_PNPM = JSON.stringify([pnpmBin, ...pnpmPrefix]);

function pnpm(args, options = {}) {
  const result = spawnSync(pnpmBin, [...pnpmPrefix, ...args], { cwd: root, stdio: "inherit", env: baseEnv, ...options });
  if (result.status !== 0) {
    console.error(`\n[meridian] \`pnpm ${args.join(" ")}\` failed (exit ${result.status ?? result.signal}).`);
    process.exit(result.status ?? 1);
  }
}

function time(label, fn) {
  const t = Date.now();
  fn();
  console.log(`[meridian] ${label}: ${((Date.now() - t) / 1000).toFixed(1)} s`);
}

time("install", () => pnpm(["install", "--frozen-lockfile"]));
if (!existsSync(path.join(root, "packages/db/src/generated/prisma/client.ts"))) {
  pnpm(["--filter", "@meridian/db", "generate"]);
}

/**
 * The console's launcher (apps/console/scripts/start.ts) runs as our direct child, not through
 * `pnpm run`: Ctrl-C reaches the whole process group, the launcher stops the console, the lab
 * and PostgreSQL and exits 0, and no package manager reports the interrupted script as failed.
 * This process waits for that shutdown instead of dying first.
 */
function startConsole(args) {
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(signal, () => {});
  const consoleDir = path.join(root, "apps", "console");
  const result = spawnSync(process.execPath, ["--import", "tsx", "scripts/start.ts", ...args], {
    cwd: consoleDir,
    stdio: "inherit",
    env: baseEnv,
  });
  process.exit(result.status ?? 0);
}

switch (command) {
  case "start":
    time("build", () => pnpm(["turbo", "run", "build", "--filter=@meridian/console", "--output-logs=errors-only"]));
    startConsole(rest);
    break;
  case "test":
    pnpm(["exec", "tsx", "scripts/test-all.ts", ...rest]);
    break;
  default:
    console.error("usage: node scripts/meridian.mjs start|test");
    process.exit(2);
}
