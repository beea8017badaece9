import { type PrismaClient } from "@meridian/db";
import { type TPlan } from "@meridian/orchestrator";
import {
  can,
  canTransition,
  checkCanApprove,
  evaluateApprovals,
  isCancellable,
  statusAfterPlanChange,
  statusFamily,
  type TApprovalDecision,
  type TChangeKind,
  type TChangeStatus,
  type TResidencyVerdict,
  type TRiskLevel,
  type TRole,
  type TStageProgress,
  type TStatusFamily,
} from "@meridian/policy";
import { AppError } from "../../errors";
import { approvalStatesOf, approverOf, REQUEST_FOR_APPROVAL_SELECT, type TApprovalRow } from "../approvals/approval-state";
import { actsFleetWide, type TActor } from "./actor";
import { planNamesOf, type TPlanName } from "./plan-names";
import { type TStoredPreview } from "./plan-request";

export interface TPerson {
  id: string;
  name: string;
  email: string;
}

export interface TStageView extends TStageProgress {
  approvers: TPerson[];
  /** Who rejected in this stage, if anyone (a rejection ends the request). */
  rejectedBy: (TPerson & { comment: string }) | null;
}

export interface TChangeActions {
  canEdit: boolean;
  canSubmit: boolean;
  canCancel: boolean;
  canComment: boolean;
  canReview: boolean;
  /** Stages the viewer may approve now. */
  approvableStages: string[];
  /** Stages the viewer may reject in now. */
  rejectableStages: string[];
  /** Why the viewer cannot decide, when they hold an approving role but may not act. */
  decisionBlockedReason: string | null;
}

export interface TChangeRequestDetail {
  id: string;
  number: number;
  title: string;
  description: string;
  kind: TChangeKind;
  status: TChangeStatus;
  family: TStatusFamily;
  version: number;
  params: Record<string, unknown>;
  plan: TPlan | null;
  /** Names and codes of the ids in the plan's step inputs (uuid -> what it is), for the plan view. */
  planNames: Record<string, TPlanName>;
  planHash: string | null;
  riskLevel: TRiskLevel | null;
  riskReasons: string[];
  residencyVerdict: TResidencyVerdict | null;
  residencyRule: string | null;
  preview: TStoredPreview | null;
  cluster: {
    id: string;
    name: string;
    tier: string;
    classification: string;
    homeJurisdiction: string;
    allowedJurisdictions: string[];
    team: { slug: string; name: string };
  } | null;
  requester: TPerson;
  /** The API token that filed the request (its creator is the requester), or null. */
  filedByToken: { id: string; name: string; prefix: string } | null;
  window: { id: string | null; startsAt: Date; endsAt: Date; dataCenterCode: string | null; reason: string } | null;
  breakGlass: boolean;
  review: { required: boolean; reviewedAt: Date | null; reviewedBy: TPerson | null; note: string | null };
  approvalPolicyName: string | null;
  routingNotes: string[];
  stages: TStageView[];
  waitingFor: string[];
  approvals: (Omit<TApprovalRow, "approver"> & { approver: TPerson & { roles: string[] }; counts: boolean; ignoredBecause: string | null })[];
  comments: { id: string; body: string; createdAt: Date; author: TPerson }[];
  createdAt: Date;
  updatedAt: Date;
  submittedAt: Date | null;
  decidedAt: Date | null;
  actions: TChangeActions;
}

async function filedByTokenOf(prisma: PrismaClient, requestId: string): Promise<TChangeRequestDetail["filedByToken"]> {
  const link = await prisma.apiTokenChangeRequest.findUnique({ where: { changeRequestId: requestId } });
  if (!link) return null;
  return prisma.apiToken.findUnique({ where: { id: link.tokenId }, select: { id: true, name: true, prefix: true } });
}

export async function getChangeRequest(prisma: PrismaClient, actor: TActor, number: number): Promise<TChangeRequestDetail> {
  const row = await prisma.changeRequest.findUnique({
    where: { number },
    include: {
      cluster: {
        select: {
          id: true,
          name: true,
          tier: true,
          classification: true,
          homeJurisdictionCode: true,
          allowedJurisdictions: true,
          team: { select: { slug: true, name: true } },
        },
      },
      requester: { select: { id: true, name: true, email: true } },
      reviewedBy: { select: { id: true, name: true, email: true } },
      maintenanceWindow: { select: { id: true, reason: true, dataCenter: { select: { code: true } } } },
      comments: {
        orderBy: [{ createdAt: "asc" }, { id: "asc" }],
        select: { id: true, body: true, createdAt: true, author: { select: { id: true, name: true, email: true } } },
      },
    },
  });
  if (!row) throw new AppError("NOT_FOUND", `No change request CR-${number}`);

  const forApproval = await prisma.changeRequest.findUniqueOrThrow({ where: { id: row.id }, select: REQUEST_FOR_APPROVAL_SELECT });
  const { state, rows } = (await approvalStatesOf(prisma, [forApproval])).get(row.id)!;
  const evaluation = evaluateApprovals(state.stages, state.approvals, state);
  const people = new Map(rows.map((r) => [r.approver.id, { id: r.approver.id, name: r.approver.name, email: r.approver.email }]));
  const stages: TStageView[] = evaluation.stages.map((s) => ({
    ...s,
    approvers: s.approvedBy.map((id) => people.get(id) ?? { id, name: id, email: "" }),
    rejectedBy:
      evaluation.rejectedBy && evaluation.rejectedBy.stage === s.name
        ? { ...(people.get(evaluation.rejectedBy.approverId) ?? { id: evaluation.rejectedBy.approverId, name: "?", email: "" }), comment: evaluation.rejectedBy.comment }
        : null,
  }));
  const counted = new Set(evaluation.stages.flatMap((s) => s.approvedBy.map((id) => `${s.name}:${id}`)));

  const roles = actor.roles as TRole[];
  const approver = await approverOf(prisma, actor);
  const decisions = (decision: TApprovalDecision) =>
    state.stages.filter((s) => checkCanApprove(approver, state, s.name, decision).ok).map((s) => s.name);
  const canDecide = can(roles, "changeRequest.approve");
  const approvableStages = canDecide ? decisions("APPROVE") : [];
  const rejectableStages = canDecide ? decisions("REJECT") : [];
  let decisionBlockedReason: string | null = null;
  if (canDecide && approvableStages.length === 0 && rejectableStages.length === 0 && row.status === "PENDING_APPROVAL") {
    const first = state.stages.map((s) => checkCanApprove(approver, state, s.name, "REJECT")).find((c) => !c.ok);
    decisionBlockedReason = first && !first.ok ? first.reason : null;
  }
  const isRequester = row.requesterId === actor.id;
  const status = row.status;

  return {
    id: row.id,
    number: row.number,
    title: row.title,
    description: row.description,
    kind: row.kind,
    status,
    family: statusFamily(status),
    version: row.version,
    params: row.parameters as Record<string, unknown>,
    plan: (row.plan as TPlan | null) ?? null,
    planNames: await planNamesOf(prisma, (row.plan as TPlan | null) ?? null, (row.preview as TStoredPreview | null) ?? null),
    planHash: row.planHash,
    riskLevel: row.riskLevel,
    riskReasons: row.riskReasons,
    residencyVerdict: row.residencyVerdict,
    residencyRule: row.residencyRule,
    preview: (row.preview as TStoredPreview | null) ?? null,
    cluster: row.cluster
      ? {
          id: row.cluster.id,
          name: row.cluster.name,
          tier: row.cluster.tier,
          classification: row.cluster.classification,
          homeJurisdiction: row.cluster.homeJurisdictionCode,
          allowedJurisdictions: row.cluster.allowedJurisdictions,
          team: row.cluster.team,
        }
      : null,
    requester: row.requester,
    filedByToken: await filedByTokenOf(prisma, row.id),
    window:
      row.windowStart && row.windowEnd
        ? {
            id: row.maintenanceWindowId,
            startsAt: row.windowStart,
            endsAt: row.windowEnd,
            dataCenterCode: row.maintenanceWindow?.dataCenter?.code ?? null,
            reason: row.maintenanceWindow?.reason ?? "",
          }
        : null,
    breakGlass: row.breakGlass,
    review: { required: row.reviewRequired, reviewedAt: row.reviewedAt, reviewedBy: row.reviewedBy, note: row.reviewNote },
    approvalPolicyName: row.approvalPolicyName,
    routingNotes: row.routingNotes,
    stages,
    waitingFor: status === "PENDING_APPROVAL" ? evaluation.waitingFor : [],
    approvals: rows.map((r) => {
      const ignored = evaluation.ignored.find((i) => i.approverId === r.approver.id && i.stage === r.stage);
      const counts = r.decision === "APPROVE" ? counted.has(`${r.stage}:${r.approver.id}`) : !r.voided && r.planHash === row.planHash;
      return { ...r, counts, ignoredBecause: counts ? null : r.voided ? "voided: the plan changed after this decision" : (ignored?.reason ?? null) };
    }),
    comments: row.comments,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    submittedAt: row.submittedAt,
    decidedAt: row.decidedAt,
    actions: {
      canEdit: isRequester && can(roles, "changeRequest.create") && statusAfterPlanChange(status) !== null,
      canSubmit: isRequester && can(roles, "changeRequest.create") && canTransition(status, "PENDING_APPROVAL") && status === "DRAFT",
      canCancel: can(roles, "changeRequest.cancel") && (isRequester || actsFleetWide(roles)) && isCancellable(status),
      canComment: can(roles, "changeRequest.comment"),
      canReview:
        can(roles, "changeRequest.review") && row.reviewRequired && !row.reviewedAt && !isRequester && status !== "DRAFT" && status !== "PENDING_APPROVAL",
      approvableStages,
      rejectableStages,
      decisionBlockedReason,
    },
  };
}
