import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { registerTestInstance, type TTestServer } from "@meridian/fleet/testing";
import { waitFor } from "./testing/fixtures";
import { useTwoRealServers } from "./testing/test-hooks";
import { insertRealCluster, queryOn, runPlannedChange } from "./testing/postgres-plans";

/**
 * "Never two writable primaries" on real servers: a logical replica is an ordinary writable
 * server, so ADD_REPLICA fences it (its register step), and REMOVE_REPLICA turns it back into a
 * registered, open, empty STANDBY that a second ADD_REPLICA can reuse. Planned by the planner,
 * run by the real executor with the fleet driver, on two embedded PostgreSQL 17 env.servers.
 */
const env = useTwoRealServers();
const key = env.key;

async function appWriteError(server: TTestServer, database: string, text: string): Promise<string | null> {
  try {
    await queryOn(server, database, text);
    return null;
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  }
}

async function runPlanned(kind: "ADD_REPLICA" | "REMOVE_REPLICA", params: Record<string, unknown>, clusterId: string): Promise<void> {
  await runPlannedChange(env.db.pool, kind, params, clusterId);
}

async function inventory(instanceId: string) {
  const { rows } = await env.db.pool.query<{ role: string; registered: boolean | null; fenced: boolean | null; links: number }>(
    `SELECT i.role::text AS role, s.registered, s.writes_fenced AS fenced,
            (SELECT count(*)::int FROM replication_link l WHERE l.target_id = i.id) AS links
       FROM instance i LEFT JOIN fleet_instance_state s ON s.instance_id = i.id WHERE i.id = $1`,
    [instanceId],
  );
  return rows[0];
}

describe("the write fence of real replicas", () => {
  it("ADD_REPLICA fences the replica (25006 for applications, rows still arrive); REMOVE_REPLICA leaves an open empty STANDBY that ADD_REPLICA reuses", async () => {
    const name = `fence_${randomBytes(3).toString("hex")}`;
    const [a, b] = env.servers as [TTestServer, TTestServer];
    await Promise.all([a.createDatabase(name), b.createDatabase(name)]);
    await queryOn(a, name, `CREATE TABLE items (id int PRIMARY KEY, label text); INSERT INTO items SELECT g, 'item ' || g FROM generate_series(1, 100) g;`);

    const { clusterId, dcA, dcB } = await insertRealCluster(env.db.pool, `real-${name}`);
    await registerTestInstance(env.db.pool, { key, clusterId, dataCenterId: dcA, server: a, database: name, role: "PRIMARY", name: `${name}-p1` });
    const standbyId = await registerTestInstance(env.db.pool, { key, clusterId, dataCenterId: dcB, server: b, database: name, role: "STANDBY", name: `${name}-s1` });

    await env.startWorker("pg-fence-test");

    // Before: an empty standby takes writes (nothing fences a freshly registered instance).
    expect(await appWriteError(b, name, `CREATE TABLE scratch (id int); DROP TABLE scratch`)).toBeNull();

    await runPlanned("ADD_REPLICA", { dataCenterId: dcB, targetInstanceId: standbyId, mode: "LOGICAL" }, clusterId);
    expect(await inventory(standbyId)).toMatchObject({ role: "REPLICA", registered: true, fenced: true, links: 1 });
    // An application's write on the replica: refused, read_only_sql_transaction.
    expect(await appWriteError(b, name, `INSERT INTO items VALUES (5000, 'written on the replica')`)).toBe("25006");
    expect(await appWriteError(b, name, `UPDATE items SET label = 'x' WHERE id = 1`)).toBe("25006");
    // Rows from the primary still arrive (the apply worker is not fenced); reads work.
    await queryOn(a, name, `INSERT INTO items VALUES (1000, 'after the fence')`);
    await waitFor(async () => (await queryOn(b, name, `SELECT 1 FROM items WHERE id = 1000`)).rows.length === 1, 15_000, "the primary's row on the fenced replica");
    expect((await queryOn(b, name, `SELECT count(*)::int AS n FROM items`)).rows[0].n).toBe(101);

    await runPlanned("REMOVE_REPLICA", { instanceId: standbyId, allowLastReplica: true }, clusterId);
    expect(await inventory(standbyId)).toMatchObject({ role: "STANDBY", registered: true, fenced: false, links: 0 });
    // The table the link created is gone; the standby is open again.
    expect((await queryOn(b, name, `SELECT to_regclass('public.items')::text AS r`)).rows[0].r).toBeNull();
    expect(await appWriteError(b, name, `CREATE TABLE scratch (id int); INSERT INTO scratch VALUES (1); DROP TABLE scratch`)).toBeNull();

    // The same standby becomes a replica again.
    await runPlanned("ADD_REPLICA", { dataCenterId: dcB, targetInstanceId: standbyId, mode: "LOGICAL" }, clusterId);
    expect(await inventory(standbyId)).toMatchObject({ role: "REPLICA", registered: true, fenced: true, links: 1 });
    expect((await queryOn(b, name, `SELECT count(*)::int AS n FROM items`)).rows[0].n).toBe(101);
    expect(await appWriteError(b, name, `DELETE FROM items`)).toBe("25006");
    await queryOn(a, name, `INSERT INTO items VALUES (1001, 'second life')`);
    await waitFor(async () => (await queryOn(b, name, `SELECT 1 FROM items WHERE id = 1001`)).rows.length === 1, 15_000, "the primary's row on the re-added replica");
  }, 120_000);
});
