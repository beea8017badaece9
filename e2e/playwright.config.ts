import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { defineConfig, devices } from "@playwright/test";

/**
 * e2e against the BUILT console (`next build` ran before) served by the launcher
 * (`next start`), on a fresh seeded database (E2E_DATABASE_URL, made by scripts/test-all.ts),
 * in Debian's Chromium (Playwright's own browser download is not possible here).
 */
const port = Number(process.env.E2E_PORT ?? 3217);
const databaseUrl = process.env.E2E_DATABASE_URL;
if (!databaseUrl) throw new Error("E2E_DATABASE_URL is not set: run the suite with `npm test`");
// The suite's database is an external one, where the published demo password is refused
// (security defaults): the suite chooses its own, read by the fixtures' sign-in.
const demoPassword = (process.env.MERIDIAN_DEMO_PASSWORD ??= "e2e-demo-password-0123");
// Managed-database credentials (the lab's instances): an external metadata database needs a
// key; this fixed one (base64 of 32 bytes) is for the e2e run only.
const credentialKey = (process.env.MERIDIAN_CREDENTIAL_KEY ??= "bWVyaWRpYW4tZTJlLW9ubHktY3JlZGVudGlhbC1rZXk=");
// The local lab (embedded PostgreSQL servers of the `lab-orders` cluster, see
// packages/fleet/src/lab) runs in the e2e run, with its data in a throw-away folder. The config
// is loaded again by each worker: the folder is made once (the runner), inherited through the
// environment, and removed when the runner exits (after the web server stopped). The servers run
// as the `postgres` OS user when the run is root: the folder must be enterable (755).
let createdDataDir: string | null = null;
if (!process.env.E2E_LAB_DATA_DIR) {
  createdDataDir = mkdtempSync(path.join(os.tmpdir(), "meridian-e2e-lab-"));
  chmodSync(createdDataDir, 0o755);
  process.env.E2E_LAB_DATA_DIR = createdDataDir;
  process.on("exit", () => rmSync(createdDataDir as string, { recursive: true, force: true }));
}
const labDataDir = process.env.E2E_LAB_DATA_DIR;

export default defineConfig({
  testDir: ".",
  testMatch: "**/*.spec.ts",
  outputDir: "test-results",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 45_000,
  expect: { timeout: 10_000 },
  reporter: [["list"], ["html", { outputFolder: "playwright-report", open: "never" }]],
  use: {
    baseURL: `http://localhost:${port}`,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    ...devices["Desktop Chrome"],
    viewport: { width: 1440, height: 900 },
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost",
      ],
    },
  },
  webServer: {
    command: "pnpm --filter @meridian/console start",
    url: `http://localhost:${port}/api/health`,
    timeout: 240_000,
    reuseExistingServer: false,
    // The launcher stops next, then the lab's servers, on SIGTERM (a SIGKILL would leave them running).
    gracefulShutdown: { signal: "SIGTERM", timeout: 30_000 },
    stdout: "pipe",
    stderr: "pipe",
    env: {
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      NEXTAUTH_URL: `http://localhost:${port}`,
      NEXTAUTH_SECRET: "e2e-only-secret-0123456789abcdef",
      MERIDIAN_SEED_INSTANCES: "1200",
      MERIDIAN_SIM_STEP_MS: "50",
      MERIDIAN_DEMO_PASSWORD: demoPassword,
      MERIDIAN_CREDENTIAL_KEY: credentialKey,
      MERIDIAN_LAB: "on",
      MERIDIAN_LAB_INSTANCES: "4",
      MERIDIAN_DATA_DIR: labDataDir,
      MERIDIAN_COLLECTOR_INTERVAL_MS: "2000",
    },
  },
});
