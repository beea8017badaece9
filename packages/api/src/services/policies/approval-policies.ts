import { type PrismaClient } from "@meridian/db";
import { ZApprovalStagesSchema, type TApprovalPolicy, type TApprovalStage } from "@meridian/policy";
import { AppError } from "../../errors";
import {
  type TCreateApprovalPolicyRequest,
  type TDeleteApprovalPolicyRequest,
  type TUpdateApprovalPolicyRequest,
} from "../../routers/policies/policy.schema";
import { appendAuditEvent, toJson } from "../audit/append-audit-event";
import { isUniqueViolation } from "../changes/errors";
import { type TActor } from "../changes/actor";

export interface TApprovalPolicyView extends Omit<TApprovalPolicy, "stages"> {
  id: string;
  stages: TApprovalStage[];
  /** Set when the stored stages JSON is invalid (routing skips the policy). */
  invalidStages: string | null;
  createdAt: Date;
  updatedAt: Date;
}

type TRow = Awaited<ReturnType<PrismaClient["approvalPolicy"]["findMany"]>>[number];

function view(row: TRow): TApprovalPolicyView {
  const stages = ZApprovalStagesSchema.safeParse(row.stages);
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    priority: row.priority,
    kinds: row.kinds,
    minRisk: row.minRisk,
    classifications: row.classifications,
    crossesJurisdiction: row.crossesJurisdiction,
    stages: stages.success ? stages.data : [],
    invalidStages: stages.success ? null : (stages.error.issues[0]?.message ?? "invalid stages"),
    enabled: row.enabled,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

function snapshotOf(p: TApprovalPolicyView | TApprovalPolicy) {
  const { name, description, priority, kinds, minRisk, classifications, crossesJurisdiction, stages, enabled } = p;
  return { name, description, priority, kinds, minRisk, classifications, crossesJurisdiction, stages, enabled };
}

/** Lowest priority number first: the order in which routing tries them. */
export async function listApprovalPolicies(prisma: PrismaClient): Promise<TApprovalPolicyView[]> {
  const rows = await prisma.approvalPolicy.findMany({ orderBy: [{ priority: "asc" }, { name: "asc" }] });
  return rows.map(view);
}

function nameTaken(name: string): AppError {
  return new AppError("CONFLICT", `A policy named "${name}" exists already`, { name: ["This name is taken"] });
}

export async function createApprovalPolicy(
  prisma: PrismaClient,
  actor: TActor,
  input: TCreateApprovalPolicyRequest,
): Promise<TApprovalPolicyView> {
  try {
    return await prisma.$transaction(async (tx) => {
      const row = await tx.approvalPolicy.create({ data: { ...input, stages: toJson(input.stages) } });
      await appendAuditEvent(tx, {
        actor,
        action: "approvalPolicy.created",
        targetType: "approvalPolicy",
        targetId: row.id,
        after: snapshotOf(input),
      });
      return view(row);
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw nameTaken(input.name);
    throw error;
  }
}

export async function updateApprovalPolicy(
  prisma: PrismaClient,
  actor: TActor,
  input: TUpdateApprovalPolicyRequest,
): Promise<TApprovalPolicyView> {
  try {
    return await prisma.$transaction(async (tx) => {
      const before = await tx.approvalPolicy.findUnique({ where: { id: input.id } });
      if (!before) throw new AppError("NOT_FOUND", "No such approval policy");
      const updated = await tx.approvalPolicy.updateMany({
        where: { id: input.id, updatedAt: input.expectedUpdatedAt },
        data: { ...input.policy, stages: toJson(input.policy.stages) },
      });
      if (updated.count !== 1)
        throw new AppError("CONFLICT", `Policy "${before.name}" was changed by someone else meanwhile. Reload it and edit again.`);
      const row = await tx.approvalPolicy.findUniqueOrThrow({ where: { id: input.id } });
      await appendAuditEvent(tx, {
        actor,
        action: "approvalPolicy.updated",
        targetType: "approvalPolicy",
        targetId: row.id,
        before: snapshotOf(view(before)),
        after: snapshotOf(input.policy),
      });
      return view(row);
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw nameTaken(input.policy.name);
    throw error;
  }
}

export async function deleteApprovalPolicy(
  prisma: PrismaClient,
  actor: TActor,
  input: TDeleteApprovalPolicyRequest,
): Promise<{ id: string; name: string }> {
  return prisma.$transaction(async (tx) => {
    const before = await tx.approvalPolicy.findUnique({ where: { id: input.id } });
    if (!before) throw new AppError("NOT_FOUND", "No such approval policy");
    await tx.approvalPolicy.delete({ where: { id: input.id } });
    await appendAuditEvent(tx, {
      actor,
      action: "approvalPolicy.deleted",
      targetType: "approvalPolicy",
      targetId: before.id,
      before: snapshotOf(view(before)),
    });
    return { id: before.id, name: before.name };
  });
}
