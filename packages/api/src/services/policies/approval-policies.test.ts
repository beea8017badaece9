import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TTestDatabase } from "@meridian/db/testing";
import { ZApprovalPolicySchema } from "@meridian/policy";
import { type AppError } from "../../errors";
import { ZCreateChangeRequestRequestSchema } from "../../routers/changes/create-change-request.schema";
import { ZCreateMaintenanceWindowRequestSchema } from "../../routers/schedules/schedule.schema";
import { callHttp } from "../../test/http";
import { actorOf, seedFleet, switchoverParams, WEDNESDAY_NOON } from "../../test/change-fixtures";
import { type TActor } from "../changes/actor";
import { createChangeRequest, getChangeRequest, submitChangeRequest } from "../changes";
import { createMaintenanceWindow, deleteMaintenanceWindow, listMaintenanceWindows } from "../schedules";
import { createApprovalPolicy, deleteApprovalPolicy, listApprovalPolicies, updateApprovalPolicy } from "./approval-policies";

let db: TTestDatabase;
let admin: TActor;
let engineer: TActor;
let dba: TActor;
const now = WEDNESDAY_NOON;

beforeAll(async () => {
  db = await createTestDatabase();
  await seedFleet(db.prisma);
  const actors = await Promise.all((["admin", "engineer", "dba"] as const).map((p) => actorOf(db.prisma, p)));
  [admin, engineer, dba] = actors as [TActor, TActor, TActor];
});
afterAll(async () => {
  await db.drop();
});

describe("approval policies (admin)", () => {
  it("an admin's new policy routes the next request, and every edit is audited", async () => {
    const policy = await createApprovalPolicy(
      db.prisma,
      admin,
      ZApprovalPolicySchema.parse({
        name: "switchovers-need-two-dbas",
        priority: 1,
        kinds: ["SWITCHOVER"],
        stages: [
          { name: "team", role: "TEAM_APPROVER", team: "owner", quorum: 1 },
          { name: "dbas", role: "DBA", quorum: 2 },
        ],
      }),
    );
    const params = await switchoverParams(db.prisma, "payments-ledger-eu-02");
    const r = await createChangeRequest(db.prisma, engineer, ZCreateChangeRequestRequestSchema.parse({ params }), { now });
    await submitChangeRequest(db.prisma, engineer, { number: r.number, expectedVersion: r.version }, { now });
    const detail = await getChangeRequest(db.prisma, engineer, r.number);
    expect(detail.approvalPolicyName).toBe("switchovers-need-two-dbas");
    expect(detail.stages.map((s) => [s.name, s.quorum])).toEqual([["team", 1], ["dbas", 2]]);

    const updated = await updateApprovalPolicy(db.prisma, admin, {
      id: policy.id,
      expectedUpdatedAt: policy.updatedAt,
      policy: ZApprovalPolicySchema.parse({ ...policy, enabled: false }),
    });
    expect(updated.enabled).toBe(false);
    // A stale editor is refused instead of overwriting.
    const stale = await updateApprovalPolicy(db.prisma, admin, {
      id: policy.id,
      expectedUpdatedAt: policy.updatedAt,
      policy: ZApprovalPolicySchema.parse({ ...policy, priority: 5 }),
    }).catch((e: unknown) => e);
    expect((stale as AppError).code).toBe("CONFLICT");
    await deleteApprovalPolicy(db.prisma, admin, { id: policy.id });
    expect((await listApprovalPolicies(db.prisma)).some((p) => p.id === policy.id)).toBe(false);

    const events = await db.prisma.auditEvent.findMany({ where: { targetId: policy.id }, orderBy: { id: "asc" } });
    expect(events.map((e) => e.action)).toEqual(["approvalPolicy.created", "approvalPolicy.updated", "approvalPolicy.deleted"]);
    expect(events[1]!.before).toMatchObject({ enabled: true });
    expect(events[1]!.after).toMatchObject({ enabled: false });
    expect(events.every((e) => e.actorEmail === admin.email)).toBe(true);
  });

  it("a duplicate name is a 409 on the name field; non-admins are refused over HTTP", async () => {
    const existing = (await listApprovalPolicies(db.prisma))[0]!;
    const error = await createApprovalPolicy(db.prisma, admin, ZApprovalPolicySchema.parse({ ...existing, name: existing.name })).catch((e: unknown) => e);
    expect((error as AppError).code).toBe("CONFLICT");
    expect((error as AppError).fieldErrors).toEqual({ name: ["This name is taken"] });
    for (const user of [engineer, dba]) {
      const res = await callHttp(db.prisma, user, "policies.create", "mutation", { name: "x", stages: [{ name: "a", role: "DBA", quorum: 1 }] });
      expect(res.status).toBe(403);
    }
    const bad = await callHttp(db.prisma, admin, "policies.create", "mutation", { name: "x", stages: [{ name: "a", role: "VIEWER", quorum: 0 }] });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toMatch(/Leadership \(read-only\) cannot approve changes/);
  });
});

describe("maintenance windows and freezes", () => {
  it("a request may ask for a window; a window overlapping a freeze is refused next to the field", async () => {
    const cluster = await db.prisma.cluster.findUniqueOrThrow({ where: { name: "payments-ledger-eu-02" }, select: { instances: { select: { dataCenterId: true } } } });
    const dcId = cluster.instances[0]!.dataCenterId;
    const window = await createMaintenanceWindow(
      db.prisma,
      dba,
      ZCreateMaintenanceWindowRequestSchema.parse({ kind: "WINDOW", dataCenterId: dcId, reason: "rack swap", startsAt: "2026-11-28T01:00:00Z", endsAt: "2026-11-28T05:00:00Z" }),
      { now },
    );
    const params = await switchoverParams(db.prisma, "payments-ledger-eu-02", 30);
    const r = await createChangeRequest(db.prisma, engineer, ZCreateChangeRequestRequestSchema.parse({ params, maintenanceWindowId: window.id }), { now });
    const detail = await getChangeRequest(db.prisma, engineer, r.number);
    expect(detail.window).toMatchObject({ id: window.id, startsAt: new Date("2026-11-28T01:00:00Z") });

    const freeze = await createMaintenanceWindow(
      db.prisma,
      dba,
      ZCreateMaintenanceWindowRequestSchema.parse({ kind: "FREEZE", dataCenterId: null, reason: "Black Friday", startsAt: "2026-11-27T00:00:00Z", endsAt: "2026-11-30T00:00:00Z" }),
      { now },
    );
    const error = await createChangeRequest(db.prisma, engineer, ZCreateChangeRequestRequestSchema.parse({ params, maintenanceWindowId: window.id }), { now }).catch((e: unknown) => e);
    expect((error as AppError).code).toBe("INVALID");
    expect((error as AppError).fieldErrors?.maintenanceWindowId?.[0]).toMatch(/overlaps the change freeze "Black Friday" fleet-wide/);

    const listed = await listMaintenanceWindows(db.prisma, { from: new Date("2026-11-26T00:00:00Z"), to: new Date("2026-12-01T00:00:00Z") });
    expect(listed.windows.map((w) => w.kind)).toEqual(["FREEZE", "WINDOW"]);
    expect(listed.windows[1]!.requestNumbers).toEqual([r.number]);
    await deleteMaintenanceWindow(db.prisma, dba, { id: freeze.id });
    const actions = (await db.prisma.auditEvent.findMany({ where: { targetType: "maintenanceWindow" }, orderBy: { id: "asc" } })).map((e) => e.action);
    expect(actions).toEqual(["schedule.windowCreated", "schedule.freezeCreated", "schedule.freezeDeleted"]);
    // Engineers read the calendar but cannot change it.
    expect((await callHttp(db.prisma, engineer, "schedules.delete", "mutation", { id: window.id })).status).toBe(403);
  });
});
