import { randomBytes } from "node:crypto";
import pg from "pg";
import { createPrismaClient } from "../client";
import { env } from "../env";
import { connectionConfig, withDatabase } from "../migrations/connection-config";
import { type PrismaClient } from "../generated/prisma/client";
import { templateName } from "./template";

export { ensureTemplate, templateName } from "./template";

export interface TTestDatabase {
  url: string;
  name: string;
  prisma: PrismaClient;
  drop: () => Promise<void>;
}

export function testServerUrl(): string {
  const url = env().TEST_DATABASE_URL;
  if (!url) {
    throw new Error(
      "TEST_DATABASE_URL is not set: run tests through vitest (its global setup starts an embedded PostgreSQL) or set it",
    );
  }
  return url;
}

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client(connectionConfig(testServerUrl()));
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** An empty database (no migrations) on the test server, for migration-runner tests. */
export async function createEmptyDatabase(): Promise<{ url: string; name: string; drop: () => Promise<void> }> {
  const name = `meridian_empty_${randomBytes(5).toString("hex")}`;
  await admin((client) => client.query(`CREATE DATABASE "${name}"`));
  return {
    url: withDatabase(testServerUrl(), name),
    name,
    drop: async () => {
      await admin((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
}

/** Runs `sql` on the test server's maintenance database (e.g. to list databases). */
export async function queryTestServer(sql: string, params: unknown[] = []): Promise<Array<Record<string, unknown>>> {
  return admin(async (client) => (await client.query(sql, params)).rows);
}

/**
 * A fresh, fully migrated database on a real PostgreSQL, cloned from the migrated template
 * (fast: a file copy). Each test file gets its own; `drop()` removes it.
 */
export async function createTestDatabase(): Promise<TTestDatabase> {
  const template = templateName();
  const name = `meridian_test_${randomBytes(5).toString("hex")}`;
  await admin(async (client) => {
    for (let attempt = 0; ; attempt++) {
      try {
        await client.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
        return;
      } catch (error) {
        // Two files cloning the template at the same instant: retry shortly.
        if (attempt < 20 && /being accessed by other users/.test(String(error))) {
          await new Promise((r) => setTimeout(r, 100 + attempt * 50));
          continue;
        }
        throw error;
      }
    }
  });
  const url = withDatabase(testServerUrl(), name);
  const prisma = createPrismaClient(url, { max: 5 });
  return {
    url,
    name,
    prisma,
    drop: async () => {
      await prisma.$disconnect();
      await admin((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
}
