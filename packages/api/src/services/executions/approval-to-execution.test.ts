import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TTestDatabase } from "@meridian/db/testing";
import { createSimulatedDriver, SIMULATED_DURATIONS_MS } from "@meridian/fleet";
import { startWorker, type TEngineEvent, type TWorker } from "@meridian/orchestrator/engine";
import { type TChangeParamsInput } from "@meridian/policy";
import { ZCommentChangeRequestRequestSchema } from "../../routers/changes/comment-change-request.schema";
import { ZDecideChangeRequestRequestSchema } from "../../routers/approvals/decide-change-request.schema";
import { ZCreateChangeRequestRequestSchema } from "../../routers/changes/create-change-request.schema";
import { actorOf, clusterNamed, seedFleet } from "../../test/change-fixtures";
import { callHttp } from "../../test/http";
import { decideChangeRequest } from "../approvals";
import { verifyAuditChain } from "../audit";
import { type TActor } from "../changes/actor";
import { commentOnChangeRequest, createChangeRequest, getChangeRequest, submitChangeRequest } from "../changes";

/**
 * Issue 11: the last approval enqueues the execution itself (its own transaction, after the
 * approval commits) and wakes a worker through NOTIFY; comments on requests are audited.
 */

let db: TTestDatabase;
let engineer: TActor;
let approver: TActor;
let dba: TActor;
let dba2: TActor;
let compliance: TActor;
let worker: TWorker | null = null;

beforeAll(async () => {
  db = await createTestDatabase();
  await seedFleet(db.prisma);
  [engineer, approver, dba, dba2, compliance] = (await Promise.all(
    (["engineer", "team-approver", "dba", "second-dba", "compliance"] as const).map((p) => actorOf(db.prisma, p)),
  )) as [TActor, TActor, TActor, TActor, TActor];
});
afterEach(async () => {
  await worker?.stop();
  worker = null;
});
afterAll(async () => {
  await db.drop();
});

async function addReplicaParams(): Promise<TChangeParamsInput> {
  const cluster = await clusterNamed(db.prisma, "payments-ledger-eu-02");
  const full = await db.prisma.cluster.findUniqueOrThrow({ where: { id: cluster.id }, select: { homeJurisdictionCode: true } });
  const used = new Set(cluster.instances.map((i) => i.dataCenterId));
  const dcs = await db.prisma.dataCenter.findMany({
    where: { jurisdictionCode: full.homeJurisdictionCode, status: "ACTIVE" },
    orderBy: { code: "asc" },
    select: { id: true },
  });
  return { kind: "ADD_REPLICA", clusterId: cluster.id, dataCenterId: dcs.find((d) => !used.has(d.id))!.id };
}

async function submitted(params: TChangeParamsInput, title: string): Promise<number> {
  const now = new Date();
  const draft = await createChangeRequest(db.prisma, engineer, ZCreateChangeRequestRequestSchema.parse({ params, title }), { now });
  const v = await db.prisma.changeRequest.findUniqueOrThrow({ where: { number: draft.number }, select: { version: true } });
  await submitChangeRequest(db.prisma, engineer, { number: draft.number, expectedVersion: v.version }, { now });
  return draft.number;
}

/** Approves every stage; returns when the last decision returned (the request is APPROVED). */
async function approveAll(number: number): Promise<void> {
  for (let round = 0; round < 8; round++) {
    const r = await db.prisma.changeRequest.findUniqueOrThrow({ where: { number }, select: { status: true, planHash: true } });
    if (r.status !== "PENDING_APPROVAL") break;
    for (const actor of [approver, dba, compliance, dba2]) {
      const detail = await getChangeRequest(db.prisma, actor, number);
      const stage = detail.actions.approvableStages[0];
      if (!stage || detail.status !== "PENDING_APPROVAL") continue;
      await decideChangeRequest(
        db.prisma,
        actor,
        ZDecideChangeRequestRequestSchema.parse({ number, stage, decision: "APPROVE", planHash: r.planHash }),
        { now: new Date() },
      );
      break;
    }
  }
  const final = await db.prisma.changeRequest.findUniqueOrThrow({ where: { number }, select: { status: true } });
  expect(final.status).toBe("APPROVED");
}

describe("the last approval starts the execution", () => {
  it("enqueues the execution as soon as the approval commits and a listening worker starts it at once", async () => {
    const events: Array<TEngineEvent & { at: number }> = [];
    // No sweep that enqueues approved requests and a slow poll: only the approval's own enqueue
    // and its NOTIFY can start this execution quickly.
    worker = startWorker({
      databaseUrl: db.url,
      driver: createSimulatedDriver({ durationsMs: Object.fromEntries(Object.keys(SIMULATED_DURATIONS_MS).map((k) => [k, 0])) }),
      concurrency: 1,
      leaseMs: 5_000,
      pollMs: 10_000,
      enqueueApproved: false,
      onEvent: (e) => events.push({ ...e, at: Date.now() }),
    });
    await worker.ready;
    const number = await submitted(await addReplicaParams(), "Replica, started by its approval");
    const request = await db.prisma.changeRequest.findUniqueOrThrow({ where: { number }, select: { id: true } });
    await approveAll(number);
    const approvedAt = Date.now();

    const executions = await db.prisma.execution.findMany({ where: { requestId: request.id }, select: { id: true, attempt: true } });
    expect(executions).toHaveLength(1); // enqueued by the approval, not by a sweep

    const deadline = Date.now() + 5_000;
    while (!events.some((e) => e.type === "step" && e.point === "attempt-started") && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    const first = events.find((e) => e.type === "step" && e.point === "attempt-started");
    expect(first, "the first step started well before the 10 s poll").toBeTruthy();
    expect(first!.at - approvedAt).toBeLessThan(2_000);
  });

  it("an operator action on a request that never ran is a 404 that says so", async () => {
    const number = await submitted(await addReplicaParams(), "Replica, not approved yet");
    const res = await callHttp(db.prisma, dba, "executions.pause", "mutation", { number });
    expect(res.status).toBe(404);
    expect(JSON.stringify(res.body)).toContain(`CR-${number} has not started`);
  });
});

describe("comments on change requests", () => {
  it("are audited with their author and text, in the audit chain", async () => {
    const number = await submitted(await addReplicaParams(), "Replica, discussed");
    const input = ZCommentChangeRequestRequestSchema.parse({ number, body: "Please wait until the batch window is over." });
    const comment = await commentOnChangeRequest(db.prisma, dba, input, { now: new Date() });
    const request = await db.prisma.changeRequest.findUniqueOrThrow({ where: { number }, select: { id: true } });
    const audit = await db.prisma.auditEvent.findMany({
      where: { targetType: "changeRequest", targetId: request.id, action: "changeRequest.commented" },
      select: { actorId: true, actorEmail: true, after: true },
    });
    expect(audit).toEqual([
      {
        actorId: dba.id,
        actorEmail: dba.email,
        after: { number, commentId: comment.id, body: "Please wait until the batch window is over." },
      },
    ]);
    expect((await verifyAuditChain(db.prisma, null, { now: new Date(), record: false })).ok).toBe(true);
  });
});

describe("plan steps on the request page", () => {
  it("come with the names and codes of the ids in their inputs, new instances included", async () => {
    const params = await addReplicaParams();
    const number = await submitted(params, "Replica, named");
    const detail = await getChangeRequest(db.prisma, dba, number);
    const cluster = await db.prisma.cluster.findUniqueOrThrow({ where: { id: (params as { clusterId: string }).clusterId }, select: { name: true } });
    const dc = await db.prisma.dataCenter.findUniqueOrThrow({ where: { id: (params as { dataCenterId: string }).dataCenterId }, select: { code: true, name: true } });
    expect(detail.planNames[(params as { clusterId: string }).clusterId]).toEqual({ kind: "cluster", label: cluster.name, detail: null });
    expect(detail.planNames[(params as { dataCenterId: string }).dataCenterId]).toEqual({ kind: "dataCenter", label: dc.code, detail: dc.name });
    // Every id in a step input has a name, including the replica and the link the plan creates.
    const ids = new Set(
      detail.plan!.steps.flatMap((s) => Object.values(s.input).filter((v): v is string => typeof v === "string" && /^[0-9a-f-]{36}$/.test(v))),
    );
    expect(ids.size).toBeGreaterThan(2);
    for (const id of ids) expect(detail.planNames[id], `a name for ${id}`).toBeTruthy();
    const provision = detail.plan!.steps.find((s) => s.action === "provisionInstance")!;
    const created = detail.planNames[provision.input.instanceId as string]!;
    expect(created.kind).toBe("instance");
    expect(created.label).toContain(cluster.name);
  });
});
