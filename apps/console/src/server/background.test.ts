import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TTestDatabase } from "@meridian/db/testing";
import { planHash, type TPlan } from "@meridian/orchestrator";

/**
 * SIGTERM to the console process (what `npm start` forwards to `next start`): the execution
 * worker lets its running step finish and hands its lease back before the process exits, so
 * another worker continues at once instead of after the lease expires (15 s).
 */

const FIXTURE = path.join(path.dirname(fileURLToPath(import.meta.url)), "background-sigterm.fixture.ts");
const CONSOLE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

let db: TTestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});

afterAll(async () => {
  await db?.drop();
});

async function approvedRequest(): Promise<string> {
  const place = await db.prisma.$queryRawUnsafe<Array<{ j: string; r: string; dc: string }>>(
    `WITH j AS (INSERT INTO jurisdiction (code, name) VALUES ('EU', 'European Union') RETURNING code),
          r AS (INSERT INTO region (code, name, jurisdiction_code) SELECT 'eu-test', 'EU test', code FROM j RETURNING code),
          d AS (INSERT INTO data_center (id, code, name, city, country, latitude, longitude, region_code, jurisdiction_code, provider, status, capacity_slots, updated_at)
                SELECT gen_random_uuid(), 'fra9', 'Frankfurt 9', 'Frankfurt', 'DE', 50.1, 8.7, r.code, 'EU', 'test', 'ACTIVE', 10, now() FROM r RETURNING id)
     SELECT (SELECT code FROM j) AS j, (SELECT code FROM r) AS r, (SELECT id::text FROM d) AS dc`,
  );
  const dataCenterId = place[0]!.dc;
  const users = await db.prisma.$queryRawUnsafe<Array<{ id: string }>>(
    `INSERT INTO app_user (id, email, name, roles) VALUES (gen_random_uuid(), 'eng@sigterm.test', 'Engineer', '{ENGINEER}'),
                                                      (gen_random_uuid(), 'dba@sigterm.test', 'DBA', '{DBA}')
     RETURNING id::text AS id`,
  );
  const check = (i: number) => ({
    id: `0${i}-check-capacity`,
    name: `Check capacity (${i})`,
    action: "checkCapacity" as const,
    input: { dataCenterId, slots: 1 },
    compensation: null,
    retry: { maxAttempts: 1, backoffMs: 0 },
    timeoutMs: 60_000,
  });
  const plan = { kind: "ADD_REPLICA", version: 1, steps: [check(1), check(2), check(3)] } as unknown as TPlan;
  const rows = await db.prisma.$queryRawUnsafe<Array<{ id: string }>>(
    `INSERT INTO change_request (id, kind, title, parameters, plan, plan_hash, requester_id, status, risk_reasons, updated_at)
     VALUES (gen_random_uuid(), 'ADD_REPLICA', 'SIGTERM test', '{}', $1::jsonb, $2, $3::uuid, 'APPROVED', '{}', now()) RETURNING id::text AS id`,
    JSON.stringify(plan),
    planHash(plan),
    users[0]!.id,
  );
  const requestId = rows[0]!.id;
  await db.prisma.$executeRawUnsafe(
    `INSERT INTO approval (id, request_id, stage, approver_id, decision, plan_hash) VALUES (gen_random_uuid(), $1::uuid, 'dba', $2::uuid, 'APPROVE', $3)`,
    requestId,
    users[1]!.id,
    planHash(plan),
  );
  return requestId;
}

interface TExecutionRow {
  id: string;
  status: string;
  lease_owner: string | null;
  lease_expires_at: Date | null;
  steps: string[];
}

async function executionOf(requestId: string): Promise<TExecutionRow | null> {
  const rows = await db.prisma.$queryRawUnsafe<TExecutionRow[]>(
    `SELECT e.id::text AS id, e.status::text AS status, e.lease_owner, e.lease_expires_at,
            ARRAY(SELECT s.status::text FROM execution_step s WHERE s.execution_id = e.id ORDER BY s.index) AS steps
       FROM execution e WHERE e.request_id = $1::uuid`,
    requestId,
  );
  return rows[0] ?? null;
}

async function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | null | undefined | false>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe("the console process on SIGTERM", () => {
  it("lets the running step finish, hands the lease back, then exits", async () => {
    const requestId = await approvedRequest();
    const output: string[] = [];
    const child = spawn(process.execPath, ["--import", "tsx", FIXTURE], {
      cwd: CONSOLE_DIR,
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        // The child is configured through its environment, as Next's process is by the launcher.
        // eslint-disable-next-line no-restricted-properties
        ...process.env,
        DATABASE_URL: db.url,
        MERIDIAN_SIM_STEP_MS: "1500",
        MERIDIAN_WORKER_CONCURRENCY: "1",
        MERIDIAN_COLLECTOR: "off",
        MERIDIAN_LAB: "off",
        NODE_ENV: "test",
      },
    });
    child.stdout.on("data", (chunk: Buffer) => output.push(chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => output.push(chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    try {
      // The worker enqueues the approved request by itself and starts step 1 (1.5 s).
      await waitFor("step 1 to run in the console process", 30_000, async () => (await executionOf(requestId))?.steps[0] === "RUNNING");
      const running = (await executionOf(requestId))!;
      expect(running.lease_owner).not.toBeNull();

      child.kill("SIGTERM");
      const code = await Promise.race([exited, new Promise<"hung">((r) => setTimeout(() => r("hung"), 20_000))]);
      expect(code, output.join("")).toBe(0);

      const after = (await executionOf(requestId))!;
      expect(after.lease_owner).toBeNull(); // handed back: nothing is left to expire
      expect(after.lease_expires_at).toBeNull();
      expect(after.steps).toEqual(["SUCCEEDED", "PENDING", "PENDING"]); // step 1 finished, nothing else started
      expect(after.status).toBe("RUNNING");
    } finally {
      child.kill("SIGKILL");
    }
  });
});
