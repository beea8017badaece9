import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrismaClient } from "@meridian/db";
import { createTestDatabase, type TTestDatabase } from "@meridian/db/testing";
import { callHttp, userWithRoles } from "../../test/http";
import { appendAuditEvent } from "./append-audit-event";
import { exportAuditEvents, listAuditEvents } from "./list-audit-events";
import { GENESIS_HASH, verifyAuditChain } from "./verify-audit-chain";

let db: TTestDatabase;
const actor = { id: "00000000-0000-4000-8000-0000000000aa", email: "auditor@meridian.test" };
const now = new Date("2026-11-25T12:00:00.000Z");

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.drop();
});

async function superuser<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

describe("audit hash chain", () => {
  it("chains every row to the previous one, whatever the application sends for the hashes", async () => {
    for (let i = 0; i < 5; i++)
      await appendAuditEvent(db.prisma, { actor, action: "test.sequential", targetType: "test", targetId: String(i), after: { i } });
    // The app cannot choose the hashes, the id or the time: the trigger overwrites them.
    await db.prisma.auditEvent.create({
      data: { action: "test.forged", targetType: "test", prevHash: "f".repeat(64), hash: "e".repeat(64), occurredAt: new Date("2000-01-01") },
    });
    const rows = await db.prisma.auditEvent.findMany({ orderBy: { id: "asc" } });
    expect(rows[0]!.prevHash).toBe(GENESIS_HASH);
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.prevHash).toBe(rows[i - 1]!.hash);
    expect(rows.at(-1)!.hash).not.toBe("e".repeat(64));
    expect(rows.at(-1)!.occurredAt.getFullYear()).toBeGreaterThan(2000);
    const result = await verifyAuditChain(db.prisma, null, { now });
    expect(result).toMatchObject({ ok: true, checked: 6, firstBroken: null, headHash: rows.at(-1)!.hash });
  });

  it("stays one chain when many writers append at once from different connections", async () => {
    const other = createPrismaClient(db.url, { max: 5 });
    try {
      await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          appendAuditEvent(i % 2 ? other : db.prisma, { actor, action: "test.concurrent", targetType: "test", targetId: String(i) }),
        ),
      );
    } finally {
      await other.$disconnect();
    }
    const result = await verifyAuditChain(db.prisma, null, { now });
    expect(result.ok).toBe(true);
    expect(result.checked).toBe(46);
  });

  it("refuses UPDATE and DELETE for everyone, even the owner", async () => {
    await expect(db.prisma.$executeRaw`UPDATE audit_event SET action = 'x'`).rejects.toThrow(/append-only/);
    await expect(db.prisma.$executeRaw`DELETE FROM audit_event`).rejects.toThrow(/append-only/);
    await expect(db.prisma.$executeRaw`TRUNCATE audit_event`).rejects.toThrow(/append-only/);
  });

  it("a role with SELECT and INSERT only cannot disable the trigger nor alter rows", async () => {
    const role = `meridian_app_${randomBytes(4).toString("hex")}`;
    await superuser(async (c) => {
      await c.query(`CREATE ROLE ${role} NOLOGIN`);
      await c.query(`GRANT SELECT, INSERT ON audit_event TO ${role}`);
      await c.query(`GRANT USAGE ON SEQUENCE audit_event_id_seq TO ${role}`);
    });
    try {
      await superuser(async (c) => {
        await c.query(`SET ROLE ${role}`);
        await c.query(`INSERT INTO audit_event (action, target_type, prev_hash, hash) VALUES ('test.app-role', 'test', '', '')`);
        await expect(c.query(`ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_update`)).rejects.toThrow(/must be owner/);
        await expect(c.query(`UPDATE audit_event SET action = 'x'`)).rejects.toThrow(/permission denied|append-only/);
        await expect(c.query(`DELETE FROM audit_event`)).rejects.toThrow(/permission denied|append-only/);
      });
    } finally {
      await superuser(async (c) => {
        await c.query(`REVOKE ALL ON audit_event FROM ${role}`);
        await c.query(`REVOKE ALL ON SEQUENCE audit_event_id_seq FROM ${role}`);
        await c.query(`DROP ROLE ${role}`);
      });
    }
    expect((await verifyAuditChain(db.prisma, null, { now })).ok).toBe(true);
  });

  it("verify reports the first broken link when a superuser alters a row behind the triggers", async () => {
    const [victim] = await db.prisma.auditEvent.findMany({ where: { action: "test.sequential", targetId: "2" }, select: { id: true } });
    await superuser(async (c) => {
      await c.query("ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_update");
      try {
        await c.query(`UPDATE audit_event SET actor_email = 'someone-else@meridian.test' WHERE id = $1`, [String(victim!.id)]);
      } finally {
        await c.query("ALTER TABLE audit_event ENABLE TRIGGER audit_event_no_update");
      }
    });
    const result = await verifyAuditChain(db.prisma, actor, { now });
    expect(result.ok).toBe(false);
    expect(result.firstBroken).toMatchObject({ id: String(victim!.id), problem: "hash-mismatch", action: "test.sequential" });
    // The verification itself is on record.
    const [last] = await db.prisma.auditEvent.findMany({ orderBy: { id: "desc" }, take: 1 });
    expect(last).toMatchObject({ action: "audit.chainVerified", actorEmail: actor.email });
    expect(last!.after).toMatchObject({ ok: false, firstBrokenId: String(victim!.id) });
  });

  it("a re-hashed row is caught at the next link", async () => {
    const rows = await db.prisma.auditEvent.findMany({ where: { action: "test.concurrent" }, orderBy: { id: "asc" }, take: 2, select: { id: true } });
    await superuser(async (c) => {
      await c.query("ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_update");
      try {
        // A forger who knows the recipe recomputes the altered row's own hash...
        await c.query(`UPDATE audit_event SET target_id = 'forged' WHERE id = $1`, [String(rows[0]!.id)]);
        await c.query(`UPDATE audit_event e SET hash = meridian_audit_row_hash(e) WHERE id = $1`, [String(rows[0]!.id)]);
      } finally {
        await c.query("ALTER TABLE audit_event ENABLE TRIGGER audit_event_no_update");
      }
    });
    const result = await verifyAuditChain(db.prisma, null, { now, record: false });
    expect(result.ok).toBe(false);
    // ...but the next row still carries the old hash as its prev_hash: that link is broken.
    const [next] = await db.prisma.auditEvent.findMany({ where: { id: { gt: rows[0]!.id } }, orderBy: { id: "asc" }, take: 1, select: { id: true } });
    const broken = await db.prisma.$queryRaw<{ id: bigint }[]>`
      SELECT id FROM (SELECT id, prev_hash, lag(hash) OVER (ORDER BY id) AS prev FROM audit_event) s WHERE prev_hash <> prev ORDER BY id`;
    expect(broken.map((b) => String(b.id))).toEqual([String(next!.id)]);
  });
});

describe("audit reading and export", () => {
  it("filters by actor, action prefix, target and time", async () => {
    const page = await listAuditEvents(db.prisma, { actor: "auditor@", action: "test.", page: 1, pageSize: 200 });
    expect(page.total).toBeGreaterThan(40);
    expect(page.items.every((e) => e.actorEmail === actor.email && e.action.startsWith("test."))).toBe(true);
    const none = await listAuditEvents(db.prisma, { from: new Date("2100-01-01"), page: 1, pageSize: 10 });
    expect(none.total).toBe(0);
  });

  it("exports CSV and NDJSON in chain order, streamed", async () => {
    const csv = await new Response(exportAuditEvents(db.prisma, { action: "test.sequential" }, "csv")).text();
    const lines = csv.trimEnd().split("\r\n");
    expect(lines[0]).toBe("id,occurred_at,actor_id,actor_email,action,target_type,target_id,before,after,prev_hash,hash");
    expect(lines).toHaveLength(6);
    const ndjson = await new Response(exportAuditEvents(db.prisma, {}, "ndjson")).text();
    const events = ndjson.trimEnd().split("\n").map((l) => JSON.parse(l) as { id: string });
    expect(events.length).toBeGreaterThan(40);
    expect(events.map((e) => BigInt(e.id))).toEqual([...events.map((e) => BigInt(e.id))].sort((x, y) => (x < y ? -1 : 1)));
  });

  it("verify over HTTP: allowed to DBAs, refused to engineers and leadership", async () => {
    expect((await callHttp(db.prisma, userWithRoles(["DBA"]), "audit.verify", "mutation", undefined)).status).toBe(200);
    expect((await callHttp(db.prisma, userWithRoles(["ENGINEER"]), "audit.verify", "mutation", undefined)).status).toBe(403);
    expect((await callHttp(db.prisma, userWithRoles(["VIEWER"]), "audit.list", "query", {})).status).toBe(403);
  });
});
