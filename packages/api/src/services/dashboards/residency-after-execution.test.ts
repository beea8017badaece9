import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TTestDatabase } from "@meridian/db/testing";
import { createSimulatedDriver, SIMULATED_DURATIONS_MS } from "@meridian/fleet";
import { startWorker, type TWorker } from "@meridian/orchestrator/engine";
import { type TChangeParamsInput } from "@meridian/policy";
import { ZDecideChangeRequestRequestSchema } from "../../routers/approvals/decide-change-request.schema";
import { ZCreateChangeRequestRequestSchema } from "../../routers/changes/create-change-request.schema";
import { actorOf, seedFleet } from "../../test/change-fixtures";
import { decideChangeRequest } from "../approvals";
import { type TActor } from "../changes/actor";
import { createChangeRequest, getChangeRequest, submitChangeRequest } from "../changes";
import { residencySweepOnExecutionFinished } from "./dashboard-jobs";
import { listClusterResidencyFindings } from "./residency-fix";
import { sweepResidency } from "./residency-sweep";

/**
 * A change that removes a replica placed out of policy closes its residency finding as soon
 * as its execution finishes (the worker's onEvent sweeps), not a minute later. No dashboard
 * jobs run here: without the hook nothing would sweep and the finding would stay open.
 */

let db: TTestDatabase;
let actors: TActor[];
let worker: TWorker | null = null;

beforeAll(async () => {
  db = await createTestDatabase();
  await seedFleet(db.prisma);
  actors = await Promise.all((["engineer", "team-approver", "dba", "second-dba", "compliance"] as const).map((p) => actorOf(db.prisma, p)));
});
afterAll(async () => {
  await worker?.stop();
  await db.drop();
});

async function approved(params: TChangeParamsInput, title: string): Promise<number> {
  const [engineer, ...approvers] = actors as [TActor, ...TActor[]];
  const draft = await createChangeRequest(db.prisma, engineer, ZCreateChangeRequestRequestSchema.parse({ params, title }), { now: new Date() });
  const v = await db.prisma.changeRequest.findUniqueOrThrow({ where: { number: draft.number }, select: { version: true } });
  await submitChangeRequest(db.prisma, engineer, { number: draft.number, expectedVersion: v.version }, { now: new Date() });
  for (let round = 0; round < 6; round++) {
    const r = await db.prisma.changeRequest.findUniqueOrThrow({ where: { number: draft.number }, select: { status: true, planHash: true } });
    if (r.status !== "PENDING_APPROVAL") break;
    for (const actor of approvers) {
      const detail = await getChangeRequest(db.prisma, actor, draft.number);
      const stage = detail.actions.approvableStages[0];
      if (!stage || detail.status !== "PENDING_APPROVAL") continue;
      await decideChangeRequest(db.prisma, actor, ZDecideChangeRequestRequestSchema.parse({ number: draft.number, stage, decision: "APPROVE", planHash: r.planHash }), { now: new Date() });
      break;
    }
  }
  const final = await db.prisma.changeRequest.findUniqueOrThrow({ where: { number: draft.number }, select: { status: true } });
  expect(final.status).toBe("APPROVED");
  return draft.number;
}

async function waitUntil<T>(read: () => Promise<T>, done: (v: T) => boolean, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (done(v)) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("residency sweep after an execution", () => {
  it("removing an out-of-policy replica by a change closes its finding when the execution finishes", async () => {
    // A replica outside its cluster's home jurisdiction; the policy is narrowed to home only.
    const [replica] = await db.prisma.$queryRawUnsafe<{ id: string; cluster_id: string }[]>(
      `SELECT i.id::text AS id, c.id::text AS cluster_id
         FROM instance i JOIN cluster c ON c.id = i.cluster_id JOIN data_center dc ON dc.id = i.data_center_id
        WHERE i.role = 'REPLICA' AND i.health = 'UP' AND dc.jurisdiction_code <> c.home_jurisdiction_code
          AND c.team_id IN (SELECT team_id FROM team_membership WHERE user_id = $1::uuid)
        ORDER BY c.tier DESC, i.id LIMIT 1`,
      actors[0]!.id,
    );
    expect(replica, "the seeded fleet has a replica abroad").toBeDefined();
    await db.prisma.cluster.update({ where: { id: replica!.cluster_id }, data: { allowedJurisdictions: [] } });
    await sweepResidency(db.prisma);
    const finding = () =>
      db.prisma.residencyFinding.findUniqueOrThrow({
        where: { clusterId_subject_subjectId: { clusterId: replica!.cluster_id, subject: "INSTANCE", subjectId: replica!.id } },
        select: { resolvedAt: true },
      });
    expect((await finding()).resolvedAt).toBeNull();

    const number = await approved({ kind: "REMOVE_REPLICA", clusterId: replica!.cluster_id, instanceId: replica!.id, allowLastReplica: true }, "Remove the replica out of policy");
    worker = startWorker({
      databaseUrl: db.url,
      driver: createSimulatedDriver({ durationsMs: Object.fromEntries(Object.keys(SIMULATED_DURATIONS_MS).map((k) => [k, 0])) }),
      concurrency: 1,
      leaseMs: 5_000,
      pollMs: 100,
      log: () => {},
      onEvent: residencySweepOnExecutionFinished(db.prisma, { delayMs: 50 }),
    });
    const request = await db.prisma.changeRequest.findUniqueOrThrow({ where: { number }, select: { id: true } });
    await waitUntil(
      () => db.prisma.execution.findFirst({ where: { requestId: request.id }, select: { status: true } }),
      (e) => e?.status === "SUCCEEDED",
      "the execution to succeed",
    );
    expect(await db.prisma.instance.count({ where: { id: replica!.id } })).toBe(0);
    const closed = await waitUntil(finding, (f) => f.resolvedAt !== null, "the finding to close", 5_000);
    expect(closed.resolvedAt).toBeInstanceOf(Date);
  });

  it("every finding's fix is a change the planner accepts (a sole link into a replica is fixed by removing the replica)", async () => {
    const [cluster] = await db.prisma.$queryRawUnsafe<{ id: string; allowed: string[] }[]>(
      `SELECT c.id::text AS id, c.allowed_jurisdictions AS allowed
         FROM cluster c JOIN instance i ON i.cluster_id = c.id JOIN data_center dc ON dc.id = i.data_center_id
        WHERE dc.jurisdiction_code <> c.home_jurisdiction_code AND i.role = 'REPLICA'
          AND c.team_id IN (SELECT team_id FROM team_membership WHERE user_id = $1::uuid)
        GROUP BY c.id ORDER BY count(*) DESC, c.id LIMIT 1`,
      actors[0]!.id,
    );
    await db.prisma.cluster.update({ where: { id: cluster!.id }, data: { allowedJurisdictions: [] } });
    await sweepResidency(db.prisma);
    const findings = await listClusterResidencyFindings(db.prisma, cluster!.id);
    expect(findings.some((f) => f.subject === "LINK")).toBe(true);
    for (const f of findings) {
      if (f.fixKind === "MOVE_PRIMARY_REGION") continue;
      const params: TChangeParamsInput =
        f.fixKind === "REMOVE_LINK"
          ? { kind: "REMOVE_LINK", clusterId: cluster!.id, linkId: f.fixTargetId! }
          : { kind: "REMOVE_REPLICA", clusterId: cluster!.id, instanceId: f.fixTargetId!, allowLastReplica: true };
      const draft = await createChangeRequest(db.prisma, actors[0]!, ZCreateChangeRequestRequestSchema.parse({ params, title: `Fix ${f.subjectName}` }), { now: new Date() });
      expect(draft.number, `${f.subject} ${f.subjectName}: ${f.fixKind}`).toBeGreaterThan(0);
    }
    await db.prisma.cluster.update({ where: { id: cluster!.id }, data: { allowedJurisdictions: cluster!.allowed } });
    await sweepResidency(db.prisma);
  });
});
