import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TTestDatabase } from "@meridian/db/testing";
import { type TChangeParamsInput } from "@meridian/policy";
import { AppError } from "../../errors";
import { ZDecideChangeRequestRequestSchema } from "../../routers/approvals/decide-change-request.schema";
import { ZCreateChangeRequestRequestSchema } from "../../routers/changes/create-change-request.schema";
import { ZUpdateChangeRequestRequestSchema } from "../../routers/changes/update-change-request.schema";
import { callHttp } from "../../test/http";
import { actorOf, addLinkParams, clusterNamed, seedFleet, switchoverParams, WEDNESDAY_NOON } from "../../test/change-fixtures";
import { decideChangeRequest } from "../approvals";
import { approvalInbox } from "../approvals/approval-inbox";
import { verifyAuditChain } from "../audit";
import { type TActor } from "./actor";
import {
  cancelChangeRequest,
  createChangeRequest,
  getChangeRequest,
  reviewChangeRequest,
  submitChangeRequest,
  updateChangeRequest,
} from "./index";

let db: TTestDatabase;
let engineer: TActor;
let approver: TActor;
let dba: TActor;
let dba2: TActor;
let compliance: TActor;
let leadership: TActor;
const now = WEDNESDAY_NOON;

beforeAll(async () => {
  db = await createTestDatabase();
  await seedFleet(db.prisma);
  const actors = await Promise.all((["engineer", "team-approver", "dba", "second-dba", "compliance", "leadership"] as const).map((p) => actorOf(db.prisma, p)));
  [engineer, approver, dba, dba2, compliance, leadership] = actors as [TActor, TActor, TActor, TActor, TActor, TActor];
});
afterAll(async () => {
  await db.drop();
});

async function file(actor: TActor, params: TChangeParamsInput, extra: Record<string, unknown> = {}) {
  return createChangeRequest(db.prisma, actor, ZCreateChangeRequestRequestSchema.parse({ params, ...extra }), { now });
}

async function submit(actor: TActor, number: number) {
  const r = await db.prisma.changeRequest.findUniqueOrThrow({ where: { number }, select: { version: true } });
  return submitChangeRequest(db.prisma, actor, { number, expectedVersion: r.version }, { now });
}

async function decide(actor: TActor, number: number, stage: string, decision: "APPROVE" | "REJECT" = "APPROVE", comment = "") {
  const r = await db.prisma.changeRequest.findUniqueOrThrow({ where: { number }, select: { planHash: true } });
  return decideChangeRequest(
    db.prisma,
    actor,
    ZDecideChangeRequestRequestSchema.parse({ number, stage, decision, comment: comment || (decision === "REJECT" ? "not now" : ""), planHash: r.planHash }),
    { now },
  );
}

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error, "expected the call to be refused").toBeInstanceOf(AppError);
  return error as AppError;
}

async function auditActions(targetId: string): Promise<string[]> {
  const rows = await db.prisma.auditEvent.findMany({ where: { targetId }, orderBy: { id: "asc" }, select: { action: true } });
  return rows.map((r) => r.action);
}

describe("the life of a change request", () => {
  it("draft with plan, risk and residency; submit routes the stages; team approver and DBA approve it", async () => {
    const params = await switchoverParams(db.prisma, "payments-ledger-eu-02");
    const draft = await file(engineer, params, { title: "Move ledger-eu-02 primary before the rack swap" });
    expect(draft.status).toBe("DRAFT");

    let detail = await getChangeRequest(db.prisma, engineer, draft.number);
    expect(detail.plan?.steps.length).toBeGreaterThan(3);
    expect(detail.plan?.steps.every((s) => typeof s.id === "string")).toBe(true);
    expect(detail.planHash).toMatch(/^[0-9a-f]{64}$/);
    // SWITCHOVER (+3) of a T3 CONFIDENTIAL (+1) cluster whose replica is in CH (EU home, CH
    // allowed: +1 for crossing) on a Wednesday at 13:00 CET: 5 points, MEDIUM.
    expect(detail.riskLevel).toBe("MEDIUM");
    expect(detail.riskReasons).toEqual(["switchover change (+3)", "T3 cluster (+0)", "CONFIDENTIAL data (+1)", "data crosses a jurisdiction border (+1)"].filter((r) => !r.includes("+0")));
    expect(detail.residencyVerdict).toBe("CROSSES_WITHIN_POLICY");
    expect(detail.preview?.blastRadius.instances.length).toBeGreaterThanOrEqual(2);
    expect(detail.actions.canSubmit).toBe(true);

    const submitted = await submit(engineer, draft.number);
    expect(submitted.status).toBe("PENDING_APPROVAL");
    detail = await getChangeRequest(db.prisma, engineer, draft.number);
    expect(detail.approvalPolicyName).toBe("default-medium-risk");
    expect(detail.stages.map((s) => [s.name, s.role, s.quorum])).toEqual([
      ["owner-team", "TEAM_APPROVER", 1],
      ["dba", "DBA", 1],
    ]);
    // The requester sees no approve action; the team approver and DBA do.
    expect(detail.actions.approvableStages).toEqual([]);
    expect((await getChangeRequest(db.prisma, approver, draft.number)).actions.approvableStages).toEqual(["owner-team"]);
    expect((await getChangeRequest(db.prisma, dba, draft.number)).actions.approvableStages).toEqual(["dba"]);
    expect((await getChangeRequest(db.prisma, leadership, draft.number)).actions).toMatchObject({
      approvableStages: [],
      canCancel: false,
      canEdit: false,
      canSubmit: false,
      canComment: false,
    });
    expect((await approvalInbox(db.prisma, approver)).actionable.map((i) => i.number)).toContain(draft.number);

    const first = await decide(approver, draft.number, "owner-team", "APPROVE", "fine by payments");
    expect(first).toMatchObject({ status: "PENDING_APPROVAL", transitioned: false });
    const second = await decide(dba, draft.number, "dba");
    expect(second).toMatchObject({ status: "APPROVED", transitioned: true });

    detail = await getChangeRequest(db.prisma, engineer, draft.number);
    expect(detail.status).toBe("APPROVED");
    expect(detail.stages.map((s) => s.approvers.map((a) => a.email))).toEqual([[approver.email], [dba.email]]);
    expect(await auditActions(draft.id)).toEqual([
      "changeRequest.created",
      "changeRequest.submitted",
      "approval.approved",
      "approval.approved",
      "changeRequest.approved",
    ]);
    const hooks = await db.prisma.webhookOutbox.findMany({ orderBy: { createdAt: "asc" }, select: { event: true, payload: true } });
    const mine = hooks.filter((h) => (h.payload as { data: { changeRequest: { id: string } } }).data.changeRequest.id === draft.id);
    expect(mine.map((h) => h.event)).toEqual(["change_request.draft", "change_request.pending_approval", "change_request.approved"]);
    expect((mine[2]!.payload as { text: string }).text).toContain(`CR-${draft.number}`);

    // Final: cannot approve again, cannot submit again.
    expect((await rejection(decide(dba2, draft.number, "dba"))).code).toBe("CONFLICT");
    expect((await rejection(submit(engineer, draft.number))).code).toBe("CONFLICT");
  });

  it("refuses bad parameters with the form's field names and writes nothing", async () => {
    const before = await db.prisma.changeRequest.count();
    const cluster = await clusterNamed(db.prisma, "payments-ledger-eu-02");
    const primary = cluster.instances.find((i) => i.role === "PRIMARY")!;
    const error = await rejection(
      file(engineer, { kind: "SWITCHOVER", clusterId: cluster.id, replicaInstanceId: primary.id }),
    );
    expect(error.code).toBe("INVALID");
    expect(Object.keys(error.fieldErrors ?? {})).toEqual(["params.replicaInstanceId"]);
    expect(await db.prisma.changeRequest.count()).toBe(before);

    // Over HTTP: the zod schema of the kind answers 400 with field messages.
    const res = await callHttp(db.prisma, engineer, "changes.create", "mutation", {
      params: { kind: "ADD_REPLICA", clusterId: "nope" },
    });
    expect(res.status).toBe(400);
    const fields = (res.body as { error: { json: { data: { fieldErrors: Record<string, string[]> } } } }).error.json.data.fieldErrors;
    expect(fields["params.clusterId"]).toEqual(["Cluster must be an id (uuid)"]);
    expect(fields["params.dataCenterId"]).toEqual(["Data center is required"]);
  });

  it("an engineer files only for their team's clusters", async () => {
    const other = await db.prisma.cluster.findFirstOrThrow({
      where: { team: { slug: { not: "payments" } }, instances: { some: { role: "REPLICA", health: "UP" } } },
      select: { name: true },
    });
    const error = await rejection(file(engineer, await switchoverParams(db.prisma, other.name)));
    expect(error.code).toBe("FORBIDDEN");
    expect(error.fieldErrors?.["params.clusterId"]?.[0]).toMatch(/Not one of your teams' clusters/);
  });

  it("BLOCKS a link that would replicate PII outside its allowed jurisdictions, with the rule", async () => {
    const blocked = await file(engineer, await addLinkParams(db.prisma, "payments-card-vault-us-01", "EU"));
    expect(blocked.status).toBe("BLOCKED");
    const detail = await getChangeRequest(db.prisma, engineer, blocked.number);
    expect(detail.residencyVerdict).toBe("BLOCKED");
    expect(detail.residencyRule).toMatch(/^residency\/allowed-jurisdictions: cluster payments-card-vault-us-01 \(PII\) may live in US only; the change would replicate to EU/);
    expect((await rejection(submit(engineer, blocked.number))).code).toBe("CONFLICT");
    expect(await auditActions(blocked.id)).toEqual(["changeRequest.created", "changeRequest.blocked"]);
  });

  it("crossing a border within policy with PII data adds a compliance stage", async () => {
    // payments-settlements-eu-01: PII, EU, may also live in JP.
    const r = await file(engineer, await addLinkParams(db.prisma, "payments-settlements-eu-01", "JP"));
    expect(r.status).toBe("DRAFT");
    await submit(engineer, r.number);
    const detail = await getChangeRequest(db.prisma, engineer, r.number);
    expect(detail.residencyVerdict).toBe("CROSSES_WITHIN_POLICY");
    expect(detail.stages.some((s) => s.role === "COMPLIANCE")).toBe(true);
    expect((await getChangeRequest(db.prisma, compliance, r.number)).actions.approvableStages).toEqual([]); // opens after group 0
  });
});

describe("separation of duties", () => {
  it("the service refuses the requester's own approval, and the database refuses it too", async () => {
    // A DBA files a request whose DBA stage they would qualify for.
    const r = await file(dba, await switchoverParams(db.prisma, "payments-ledger-eu-02", 7));
    await submit(dba, r.number);
    const detail = await getChangeRequest(db.prisma, dba, r.number);
    expect(detail.actions.approvableStages).toEqual([]);
    expect(detail.actions.decisionBlockedReason).toBe("requester cannot approve own request");
    const error = await rejection(decide(dba, r.number, "dba"));
    expect(error.code).toBe("FORBIDDEN");
    expect(error.message).toMatch(/requester cannot approve own request/);

    // Straight SQL, as if a bug skipped the service: the trigger refuses.
    await expect(
      db.prisma.$executeRaw`INSERT INTO approval (id, request_id, stage, approver_id, decision, plan_hash)
        VALUES (gen_random_uuid(), ${r.id}::uuid, 'dba', ${dba.id}::uuid, 'APPROVE', ${detail.planHash})`,
    ).rejects.toThrow(/separation of duties/);
    expect(await db.prisma.approval.count({ where: { requestId: r.id } })).toBe(0);
  });

  it("one person counts once: a second live decision by the same person is refused by the database", async () => {
    const r = await file(engineer, await switchoverParams(db.prisma, "payments-ledger-eu-02", 8));
    await submit(engineer, r.number);
    await decide(approver, r.number, "owner-team");
    const detail = await getChangeRequest(db.prisma, engineer, r.number);
    await expect(
      db.prisma.$executeRaw`INSERT INTO approval (id, request_id, stage, approver_id, decision, plan_hash)
        VALUES (gen_random_uuid(), ${r.id}::uuid, 'dba', ${approver.id}::uuid, 'APPROVE', ${detail.planHash})`,
    ).rejects.toThrow(/approval_one_decision_per_person|unique/i);
    expect((await rejection(decide(approver, r.number, "owner-team"))).code).toBe("CONFLICT");
  });

  it("a rejection ends the request", async () => {
    const r = await file(engineer, await switchoverParams(db.prisma, "payments-ledger-eu-02", 9));
    await submit(engineer, r.number);
    const result = await decide(dba, r.number, "dba", "REJECT", "Not during quarter close");
    expect(result).toMatchObject({ status: "REJECTED", transitioned: true });
    expect((await rejection(decide(approver, r.number, "owner-team"))).code).toBe("CONFLICT");
    const detail = await getChangeRequest(db.prisma, engineer, r.number);
    expect(detail.stages.find((s) => s.name === "dba")?.rejectedBy?.comment).toBe("Not during quarter close");
  });
});

describe("a changed plan voids earlier approvals", () => {
  it("editing an APPROVED request gives a new plan hash, voids the approvals and asks for them again", async () => {
    const r = await file(engineer, await switchoverParams(db.prisma, "payments-ledger-eu-02", 10));
    await submit(engineer, r.number);
    await decide(approver, r.number, "owner-team");
    await decide(dba, r.number, "dba");
    const approved = await getChangeRequest(db.prisma, engineer, r.number);
    expect(approved.status).toBe("APPROVED");

    const updated = await updateChangeRequest(
      db.prisma,
      engineer,
      ZUpdateChangeRequestRequestSchema.parse({
        number: r.number,
        expectedVersion: approved.version,
        params: { ...(approved.params as object), maxLagSeconds: 2 },
      }),
      { now },
    );
    expect(updated).toMatchObject({ status: "PENDING_APPROVAL", planChanged: true, voidedApprovals: 2 });
    const after = await getChangeRequest(db.prisma, engineer, r.number);
    expect(after.planHash).not.toBe(approved.planHash);
    expect(after.approvals.every((a) => a.voided && !a.counts)).toBe(true);
    expect(after.stages.every((s) => !s.satisfied)).toBe(true);
    // The same people may approve the new plan.
    await decide(approver, r.number, "owner-team");
    expect((await decide(dba, r.number, "dba")).status).toBe("APPROVED");
    expect(await auditActions(r.id)).toContain("changeRequest.planChanged");
  });

  it("an approval of an older plan hash is refused", async () => {
    const r = await file(engineer, await switchoverParams(db.prisma, "payments-ledger-eu-02", 11));
    await submit(engineer, r.number);
    const error = await rejection(
      decideChangeRequest(
        db.prisma,
        dba,
        ZDecideChangeRequestRequestSchema.parse({ number: r.number, stage: "dba", decision: "APPROVE", planHash: "a".repeat(64) }),
        { now },
      ),
    );
    expect(error.code).toBe("CONFLICT");
    expect(error.message).toMatch(/plan .* changed/);
  });
});

describe("cancel and break-glass", () => {
  it("the requester cancels; a final request cannot be cancelled again", async () => {
    const r = await file(engineer, await switchoverParams(db.prisma, "payments-ledger-eu-02", 12));
    const cancelled = await cancelChangeRequest(db.prisma, engineer, { number: r.number, expectedVersion: r.version, reason: "duplicate" }, { now });
    expect(cancelled.status).toBe("CANCELLED");
    expect((await rejection(cancelChangeRequest(db.prisma, engineer, { number: r.number, expectedVersion: cancelled.version, reason: "" }, { now }))).code).toBe("CONFLICT");
    // Someone else's request: an engineer of another persona may not cancel it.
    const other = await file(dba, await switchoverParams(db.prisma, "payments-ledger-eu-02", 13));
    expect((await rejection(cancelChangeRequest(db.prisma, engineer, { number: other.number, expectedVersion: other.version, reason: "" }, { now }))).code).toBe("FORBIDDEN");
  });

  it("a DBA's break-glass FAILOVER needs one other DBA and is reviewed afterwards", async () => {
    const cluster = await clusterNamed(db.prisma, "payments-gateway-eu-01");
    const params: TChangeParamsInput = { kind: "FAILOVER", clusterId: cluster.id, reason: "Primary host lost its disks in fra1" };
    expect((await rejection(file(engineer, params, { breakGlass: true }))).code).toBe("FORBIDDEN");
    const r = await file(dba, params, { breakGlass: true });
    await submit(dba, r.number);
    let detail = await getChangeRequest(db.prisma, dba, r.number);
    expect(detail.riskLevel === "HIGH" || detail.riskLevel === "CRITICAL").toBe(true);
    expect(detail.stages.map((s) => [s.name, s.role, s.quorum])).toEqual([["break-glass-dba", "DBA", 1]]);
    expect((await decide(dba2, r.number, "break-glass-dba")).status).toBe("APPROVED");
    detail = await getChangeRequest(db.prisma, compliance, r.number);
    expect(detail.review).toMatchObject({ required: true, reviewedAt: null });
    expect(detail.actions.canReview).toBe(true);
    expect((await approvalInbox(db.prisma, compliance)).toReview.map((i) => i.number)).toContain(r.number);
    await reviewChangeRequest(db.prisma, compliance, { number: r.number, note: "Disk failure confirmed by the hosting ticket" }, { now });
    expect((await rejection(reviewChangeRequest(db.prisma, dba2, { number: r.number, note: "second review attempt here" }, { now }))).code).toBe("CONFLICT");
  });
});

describe("the audit trail of all this", () => {
  it("is a valid hash chain", async () => {
    const result = await verifyAuditChain(db.prisma, null, { now });
    expect(result.ok).toBe(true);
    expect(result.checked).toBeGreaterThan(20);
  });
});
