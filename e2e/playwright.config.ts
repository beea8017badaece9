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
    },
  },
});
