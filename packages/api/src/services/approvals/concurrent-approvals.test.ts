import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrismaClient, type PrismaClient } from "@meridian/db";
import { createTestDatabase, type TTestDatabase } from "@meridian/db/testing";
import { AppError } from "../../errors";
import { ZDecideChangeRequestRequestSchema } from "../../routers/approvals/decide-change-request.schema";
import { ZCreateChangeRequestRequestSchema } from "../../routers/changes/create-change-request.schema";
import { actorOf, seedFleet, switchoverParams, WEDNESDAY_NOON } from "../../test/change-fixtures";
import { verifyAuditChain } from "../audit";
import { type TActor } from "../changes/actor";
import { createChangeRequest, submitChangeRequest } from "../changes";
import { decideChangeRequest } from "./decide-change-request";

/**
 * Real concurrency on PostgreSQL: two approvers, each on their own connection pool, decide at
 * the same moment. Exactly one of them moves the request to APPROVED.
 */
let db: TTestDatabase;
let a: PrismaClient;
let b: PrismaClient;
let engineer: TActor;
let approver: TActor;
let dba: TActor;
let dba2: TActor;
const now = WEDNESDAY_NOON;

beforeAll(async () => {
  db = await createTestDatabase();
  await seedFleet(db.prisma);
  a = createPrismaClient(db.url, { max: 2 });
  b = createPrismaClient(db.url, { max: 2 });
  const actors = await Promise.all((["engineer", "team-approver", "dba", "second-dba"] as const).map((p) => actorOf(db.prisma, p)));
  [engineer, approver, dba, dba2] = actors as [TActor, TActor, TActor, TActor];
});
afterAll(async () => {
  await Promise.all([a.$disconnect(), b.$disconnect()]);
  await db.drop();
});

async function pendingRequest(maxLagSeconds: number) {
  const params = await switchoverParams(db.prisma, "payments-ledger-eu-02", maxLagSeconds);
  const r = await createChangeRequest(db.prisma, engineer, ZCreateChangeRequestRequestSchema.parse({ params }), { now });
  await submitChangeRequest(db.prisma, engineer, { number: r.number, expectedVersion: r.version }, { now });
  const { planHash } = await db.prisma.changeRequest.findUniqueOrThrow({ where: { id: r.id }, select: { planHash: true } });
  return { ...r, planHash: planHash! };
}

function decide(prisma: PrismaClient, actor: TActor, number: number, stage: string, planHash: string) {
  return decideChangeRequest(
    prisma,
    actor,
    ZDecideChangeRequestRequestSchema.parse({ number, stage, decision: "APPROVE", planHash }),
    { now },
  ).then(
    (result) => ({ ok: true as const, result }),
    (error: unknown) => ({ ok: false as const, error }),
  );
}

async function count(sql: string, id: string): Promise<number> {
  const rows = await db.prisma.$queryRawUnsafe<{ n: number }[]>(sql, id);
  return rows[0]?.n ?? 0;
}

describe("two approvers at the same moment", () => {
  it.each([1, 2, 3, 4, 5, 6])("team approver and DBA together: exactly one transition to APPROVED (round %i)", async (round) => {
    const r = await pendingRequest(round);
    const [x, y] = await Promise.all([
      decide(a, approver, r.number, "owner-team", r.planHash),
      decide(b, dba, r.number, "dba", r.planHash),
    ]);
    expect(x.ok && y.ok, JSON.stringify([x, y])).toBe(true);
    const transitions = [x, y].filter((o) => o.ok && o.result.transitioned);
    expect(transitions).toHaveLength(1);
    const row = await db.prisma.changeRequest.findUniqueOrThrow({ where: { id: r.id }, select: { status: true } });
    expect(row.status).toBe("APPROVED");
    expect(await count(`SELECT count(*)::int AS n FROM approval WHERE request_id = $1::uuid AND NOT voided`, r.id)).toBe(2);
    expect(
      await count(`SELECT count(*)::int AS n FROM audit_event WHERE target_id = $1 AND action = 'changeRequest.approved'`, r.id),
    ).toBe(1);
    expect(
      await count(
        `SELECT count(*)::int AS n FROM webhook_outbox WHERE event = 'change_request.approved' AND payload->'data'->'changeRequest'->>'id' = $1`,
        r.id,
      ),
    ).toBe(1);
  });

  it("two DBAs racing for a one-DBA stage: one counts, the other is told the stage is satisfied", async () => {
    const r = await pendingRequest(20);
    const [x, y] = await Promise.all([decide(a, dba, r.number, "dba", r.planHash), decide(b, dba2, r.number, "dba", r.planHash)]);
    const oks = [x, y].filter((o) => o.ok);
    const refused = [x, y].filter((o) => !o.ok);
    expect(oks).toHaveLength(1);
    expect(refused).toHaveLength(1);
    const error = (refused[0] as { error: unknown }).error;
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe("CONFLICT");
    expect((error as AppError).message).toMatch(/already has its 1 approval/);
    expect(await count(`SELECT count(*)::int AS n FROM approval WHERE request_id = $1::uuid`, r.id)).toBe(1);
    const row = await db.prisma.changeRequest.findUniqueOrThrow({ where: { id: r.id }, select: { status: true } });
    expect(row.status).toBe("PENDING_APPROVAL");
  });

  it("the same person clicking twice at once is counted once", async () => {
    const r = await pendingRequest(21);
    const [x, y] = await Promise.all([decide(a, approver, r.number, "owner-team", r.planHash), decide(b, approver, r.number, "owner-team", r.planHash)]);
    expect([x, y].filter((o) => o.ok)).toHaveLength(1);
    expect(await count(`SELECT count(*)::int AS n FROM approval WHERE request_id = $1::uuid`, r.id)).toBe(1);
  });

  it("the audit chain stays intact under all of that", async () => {
    expect((await verifyAuditChain(db.prisma, null, { now })).ok).toBe(true);
  });
});
