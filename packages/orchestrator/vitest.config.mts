import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts"],
    // The engine's integration tests run against a real PostgreSQL (TEST_DATABASE_URL, or an
    // embedded one started here); the planners' unit tests do not use it.
    globalSetup: ["../db/src/testing/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
