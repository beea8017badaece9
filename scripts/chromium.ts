/**
 * A Chromium for the e2e step, got by the test command itself (Playwright's own browser
 * download cannot reach its servers here), first that works:
 *   1. CHROMIUM_PATH, or a Chromium already installed (/usr/bin/chromium, chromium-browser);
 *   2. as root with apt-get: Debian's `chromium` package (apt-get update + install, ~30-60 s);
 *   3. otherwise: `@sparticuz/chromium` from the npm registry (a Chromium shipped compressed
 *      inside the package), installed on demand into `.meridian/chromium/` and unpacked by its
 *      own `executablePath()`; nothing is added to the workspace for everyone else.
 * When none works, one sentence says what to do.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";

const SPARTICUZ_VERSION = "153.0.0";

export class ChromiumUnavailable extends Error {}

function installed(): string | null {
  const candidates = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"].filter(Boolean) as string[];
  return candidates.find((c) => existsSync(c)) ?? null;
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): boolean {
  const result = spawnSync(cmd, args, { stdio: ["ignore", "ignore", "inherit"], env: { ...process.env, ...env } });
  return result.status === 0;
}

function viaApt(log: (line: string) => void): string | null {
  const root = typeof process.getuid === "function" && process.getuid() === 0;
  if (!root || !existsSync("/usr/bin/apt-get")) return null;
  log("installing Debian's chromium with apt-get (once per machine)");
  const env = { DEBIAN_FRONTEND: "noninteractive" };
  if (!run("apt-get", ["update", "-qq"], env)) return null;
  if (!run("apt-get", ["install", "-y", "-qq", "--no-install-recommends", "chromium"], env)) return null;
  return installed();
}

export function viaNpm(root: string, log: (line: string) => void): string | null {
  const prefix = path.join(root, ".meridian", "chromium");
  const pkg = path.join(prefix, "node_modules", "@sparticuz", "chromium");
  if (!existsSync(pkg)) {
    log(`fetching @sparticuz/chromium@${SPARTICUZ_VERSION} from the npm registry into ${prefix}`);
    mkdirSync(prefix, { recursive: true });
    if (!run("npm", ["install", "--no-save", "--no-package-lock", "--no-audit", "--no-fund", "--prefix", prefix, `@sparticuz/chromium@${SPARTICUZ_VERSION}`]))
      return null;
  }
  // executablePath() unpacks the browser (into the OS temp folder) and returns its path.
  const script = `import(${JSON.stringify(path.join(pkg, "build", "index.js"))}).then(async (m) => { process.stdout.write(await m.default.executablePath()); })`;
  const result = spawnSync(process.execPath, ["-e", script], { encoding: "utf8" });
  const exe = result.stdout.trim();
  return result.status === 0 && exe && existsSync(exe) ? exe : null;
}

export function ensureChromium(root: string, log: (line: string) => void): string {
  const found = installed() ?? viaApt(log) ?? viaNpm(root, log);
  if (!found)
    throw new ChromiumUnavailable(
      "No Chromium for the e2e tests: neither apt-get (needs root) nor the npm package @sparticuz/chromium worked here; install Chromium and set CHROMIUM_PATH to it.",
    );
  return found;
}
