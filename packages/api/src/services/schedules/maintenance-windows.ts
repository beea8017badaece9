import { type Prisma, type PrismaClient } from "@meridian/db";
import { AppError } from "../../errors";
import {
  type TCreateMaintenanceWindowRequest,
  type TDeleteMaintenanceWindowRequest,
  type TListMaintenanceWindowsRequest,
} from "../../routers/schedules/schedule.schema";
import { appendAuditEvent } from "../audit/append-audit-event";
import { type TActor } from "../changes/actor";

export interface TMaintenanceWindowView {
  id: string;
  kind: "WINDOW" | "FREEZE";
  reason: string;
  startsAt: Date;
  endsAt: Date;
  dataCenter: { id: string; code: string; name: string; jurisdiction: string } | null;
  /** Open change requests that asked for this window. */
  requestNumbers: number[];
  createdAt: Date;
}

const select = {
  id: true,
  kind: true,
  reason: true,
  startsAt: true,
  endsAt: true,
  createdAt: true,
  dataCenter: { select: { id: true, code: true, name: true, jurisdictionCode: true } },
  changeRequests: {
    select: { number: true },
    where: { status: { in: ["DRAFT", "PENDING_APPROVAL", "APPROVED", "SCHEDULED"] } },
  },
} satisfies Prisma.MaintenanceWindowSelect;

type TRow = Awaited<ReturnType<typeof findRows>>[number];
function findRows(prisma: PrismaClient, input: TListMaintenanceWindowsRequest) {
  return prisma.maintenanceWindow.findMany({
    where: {
      startsAt: { lt: input.to },
      endsAt: { gt: input.from },
      ...(input.dataCenterId ? { OR: [{ dataCenterId: null }, { dataCenterId: input.dataCenterId }] } : {}),
    },
    orderBy: [{ startsAt: "asc" }, { id: "asc" }],
    take: 1000,
    select,
  });
}

function view(w: TRow): TMaintenanceWindowView {
  return {
    id: w.id,
    kind: w.kind === "FREEZE" ? "FREEZE" : "WINDOW",
    reason: w.reason,
    startsAt: w.startsAt,
    endsAt: w.endsAt,
    createdAt: w.createdAt,
    dataCenter: w.dataCenter
      ? { id: w.dataCenter.id, code: w.dataCenter.code, name: w.dataCenter.name, jurisdiction: w.dataCenter.jurisdictionCode }
      : null,
    requestNumbers: w.changeRequests.map((r) => r.number).sort((a, b) => a - b),
  };
}

/** Windows and freezes overlapping [from, to). */
export async function listMaintenanceWindows(
  prisma: PrismaClient,
  input: TListMaintenanceWindowsRequest,
): Promise<{ windows: TMaintenanceWindowView[]; dataCenters: { id: string; code: string; name: string }[] }> {
  const [rows, dataCenters] = await Promise.all([
    findRows(prisma, input),
    prisma.dataCenter.findMany({ orderBy: { code: "asc" }, select: { id: true, code: true, name: true } }),
  ]);
  return { windows: rows.map(view), dataCenters };
}

export async function createMaintenanceWindow(
  prisma: PrismaClient,
  actor: TActor,
  input: TCreateMaintenanceWindowRequest,
  options: { now: Date },
): Promise<TMaintenanceWindowView> {
  if (input.endsAt.getTime() <= options.now.getTime())
    throw new AppError("INVALID", "The window is over before it starts", { endsAt: ["End must be in the future"] });
  if (input.dataCenterId) {
    const dc = await prisma.dataCenter.findUnique({ where: { id: input.dataCenterId }, select: { id: true } });
    if (!dc) throw new AppError("INVALID", "No such data center", { dataCenterId: ["No such data center"] });
  }
  return prisma.$transaction(async (tx) => {
    const created = await tx.maintenanceWindow.create({
      data: {
        dataCenterId: input.dataCenterId,
        kind: input.kind,
        reason: input.reason,
        startsAt: input.startsAt,
        endsAt: input.endsAt,
        createdById: actor.id,
      },
      select,
    });
    await appendAuditEvent(tx, {
      actor,
      action: input.kind === "FREEZE" ? "schedule.freezeCreated" : "schedule.windowCreated",
      targetType: "maintenanceWindow",
      targetId: created.id,
      after: { kind: input.kind, dataCenter: created.dataCenter?.code ?? null, reason: input.reason, startsAt: input.startsAt, endsAt: input.endsAt },
    });
    return view(created);
  });
}

export async function deleteMaintenanceWindow(
  prisma: PrismaClient,
  actor: TActor,
  input: TDeleteMaintenanceWindowRequest,
): Promise<{ id: string }> {
  return prisma.$transaction(async (tx) => {
    const before = await tx.maintenanceWindow.findUnique({ where: { id: input.id }, select });
    if (!before) throw new AppError("NOT_FOUND", "No such maintenance window or freeze");
    await tx.maintenanceWindow.delete({ where: { id: input.id } });
    await appendAuditEvent(tx, {
      actor,
      action: before.kind === "FREEZE" ? "schedule.freezeDeleted" : "schedule.windowDeleted",
      targetType: "maintenanceWindow",
      targetId: before.id,
      before: { kind: before.kind, dataCenter: before.dataCenter?.code ?? null, reason: before.reason, startsAt: before.startsAt, endsAt: before.endsAt },
    });
    return { id: before.id };
  });
}
