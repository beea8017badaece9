import { z } from "zod";
import { BREAK_GLASS_KINDS, CHANGE_KINDS, type TChangeKind } from "./change-kinds";
import { type TChangeStatus, CHANGE_STATUS_LABELS } from "./change-status";
import {
  DATA_CLASSIFICATIONS,
  RISK_LEVELS,
  type TApprovalDecision,
  type TDataClassification,
  type TResidencyVerdict,
  type TRiskLevel,
  isSensitive,
  riskAtLeast,
} from "./domain";
import { PolicyError } from "./errors";
import { ROLE_LABELS, ROLES, type TRole } from "./roles";

/**
 * Approval routing and separation of duties.
 *
 * A policy matches a request by (kind, risk, classification, crossing jurisdictions); among
 * the enabled policies that match, the lowest priority number wins. Its stages say who may
 * approve (a role, optionally restricted to approvers of the owning team) and how many
 * (quorum). Stages with the same `parallelGroup` run side by side; groups open in ascending
 * order.
 *
 * Some rules are invariants, not settings, and hold whatever policy matched:
 * - HIGH and CRITICAL risk need two distinct DBAs (except the break-glass FAILOVER path);
 * - data crossing a border with PII or REGULATED data needs a compliance officer;
 * - the requester never counts, one person counts once per request, a rejection ends it,
 *   only approvals of the current plan hash that were not voided count.
 */

// ---------------------------------------------------------------------------
// Stages and policies
// ---------------------------------------------------------------------------

/** Roles a stage may require: everyone but the read-only leadership role. */
export const APPROVER_ROLES = ROLES.filter((r) => r !== "VIEWER");

export const ZApprovalStageSchema = z.object({
  name: z
    .string({ error: "Stage name is required" })
    .trim()
    .min(1, "Stage name is required")
    .max(64, "Stage name is at most 64 characters")
    .regex(/^[a-z0-9][a-z0-9-]*$/, "Stage name uses lower-case letters, digits and dashes (e.g. team-approval)"),
  role: z.enum(ROLES, { error: `Role must be one of ${APPROVER_ROLES.join(", ")}` }).refine((role) => role !== "VIEWER", {
    message: "Leadership (read-only) cannot approve changes",
  }),
  team: z.enum(["owner"], { error: 'Team must be "owner" or null' }).nullable().default(null),
  quorum: z
    .number({ error: "Quorum must be a number" })
    .int("Quorum must be a whole number")
    .min(1, "Quorum is at least 1")
    .max(10, "Quorum is at most 10"),
  parallelGroup: z
    .number({ error: "Parallel group must be a number" })
    .int("Parallel group must be a whole number")
    .min(0, "Parallel group is at least 0")
    .max(20, "Parallel group is at most 20")
    .default(0),
});

export const ZApprovalStagesSchema = z
  .array(ZApprovalStageSchema, { error: "Stages must be a list" })
  .min(1, "A policy needs at least one stage")
  .max(10, "A policy has at most 10 stages")
  .superRefine((stages, ctx) => {
    const seen = new Set<string>();
    stages.forEach((stage, index) => {
      if (seen.has(stage.name))
        ctx.addIssue({ code: "custom", path: [index, "name"], message: `Stage name "${stage.name}" is used twice` });
      seen.add(stage.name);
    });
  });

export type TApprovalStage = z.output<typeof ZApprovalStageSchema>;
export type TApprovalStageInput = z.input<typeof ZApprovalStageSchema>;

/** The policy form (admin page): same shape as the ApprovalPolicy model. */
export const ZApprovalPolicySchema = z.object({
  name: z.string({ error: "Name is required" }).trim().min(1, "Name is required").max(96, "Name is at most 96 characters"),
  description: z.string().trim().max(2000, "Description is at most 2000 characters").default(""),
  priority: z
    .number({ error: "Priority must be a number" })
    .int("Priority must be a whole number")
    .min(0, "Priority is at least 0")
    .max(10_000, "Priority is at most 10000")
    .default(100),
  /** Empty: any kind. */
  kinds: z.array(z.enum(CHANGE_KINDS, { error: `Kind must be one of ${CHANGE_KINDS.join(", ")}` })).default([]),
  /** Null: any risk; otherwise this level or worse. */
  minRisk: z.enum(RISK_LEVELS, { error: `Minimum risk must be one of ${RISK_LEVELS.join(", ")}` }).nullable().default(null),
  /** Empty: any classification. */
  classifications: z
    .array(z.enum(DATA_CLASSIFICATIONS, { error: `Classification must be one of ${DATA_CLASSIFICATIONS.join(", ")}` }))
    .default([]),
  /** Null: either way. */
  crossesJurisdiction: z.boolean({ error: "Crosses jurisdiction must be true, false or empty" }).nullable().default(null),
  stages: ZApprovalStagesSchema,
  enabled: z.boolean({ error: "Enabled must be true or false" }).default(true),
});
export type TApprovalPolicy = z.output<typeof ZApprovalPolicySchema>;
export type TApprovalPolicyInput = z.input<typeof ZApprovalPolicySchema>;

/** A policy as read from the database: stages are raw JSON and validated here. */
export interface TStoredApprovalPolicy {
  name: string;
  priority: number;
  kinds: readonly TChangeKind[];
  minRisk: TRiskLevel | null;
  classifications: readonly TDataClassification[];
  crossesJurisdiction: boolean | null;
  stages: unknown;
  enabled: boolean;
}

export interface TRoutingRequest {
  kind: TChangeKind;
  risk: TRiskLevel;
  classification: TDataClassification;
  /** The residency verdict is CROSSES_WITHIN_POLICY. */
  crossesJurisdiction: boolean;
  /** Emergency path (FAILOVER only): one DBA approves, the change is reviewed afterwards. */
  breakGlass?: boolean;
  /** When given, a BLOCKED verdict refuses routing: no approval can allow a residency breach. */
  residencyVerdict?: TResidencyVerdict;
}

const teamStage = { name: "team-approval", role: "TEAM_APPROVER", team: "owner", quorum: 1, parallelGroup: 0 } as const;
const dbaStage = (quorum: number) => ({ name: "dba-review", role: "DBA", team: null, quorum, parallelGroup: 0 }) as const;
const complianceStage = { name: "compliance", role: "COMPLIANCE", team: null, quorum: 1, parallelGroup: 0 } as const;
const sensitive: TDataClassification[] = ["PII", "REGULATED"];

/**
 * Shipped defaults: LOW one DBA; MEDIUM team approver + DBA; HIGH and CRITICAL team approver
 * + two distinct DBAs; crossing jurisdictions with PII or REGULATED data adds compliance.
 */
export const DEFAULT_POLICIES: readonly TApprovalPolicy[] = [
  {
    name: "high-risk-crossing-sensitive",
    description: "HIGH or CRITICAL risk moving PII or regulated data across a border",
    priority: 10,
    kinds: [],
    minRisk: "HIGH",
    classifications: sensitive,
    crossesJurisdiction: true,
    stages: [teamStage, dbaStage(2), complianceStage],
    enabled: true,
  },
  {
    name: "high-risk",
    description: "HIGH or CRITICAL risk: team approver and two distinct DBAs",
    priority: 20,
    kinds: [],
    minRisk: "HIGH",
    classifications: [],
    crossesJurisdiction: null,
    stages: [teamStage, dbaStage(2)],
    enabled: true,
  },
  {
    name: "medium-risk-crossing-sensitive",
    description: "MEDIUM risk moving PII or regulated data across a border",
    priority: 30,
    kinds: [],
    minRisk: "MEDIUM",
    classifications: sensitive,
    crossesJurisdiction: true,
    stages: [teamStage, dbaStage(1), complianceStage],
    enabled: true,
  },
  {
    name: "medium-risk",
    description: "MEDIUM risk: team approver and a DBA",
    priority: 40,
    kinds: [],
    minRisk: "MEDIUM",
    classifications: [],
    crossesJurisdiction: null,
    stages: [teamStage, dbaStage(1)],
    enabled: true,
  },
  {
    name: "low-risk-crossing-sensitive",
    description: "LOW risk moving PII or regulated data across a border",
    priority: 50,
    kinds: [],
    minRisk: null,
    classifications: sensitive,
    crossesJurisdiction: true,
    stages: [dbaStage(1), complianceStage],
    enabled: true,
  },
  {
    name: "low-risk",
    description: "LOW risk: one DBA",
    priority: 100,
    kinds: [],
    minRisk: null,
    classifications: [],
    crossesJurisdiction: null,
    stages: [dbaStage(1)],
    enabled: true,
  },
];

export function policyMatches(policy: Omit<TStoredApprovalPolicy, "stages">, request: TRoutingRequest): boolean {
  if (!policy.enabled) return false;
  if (policy.kinds.length > 0 && !policy.kinds.includes(request.kind)) return false;
  if (policy.minRisk !== null && !riskAtLeast(request.risk, policy.minRisk)) return false;
  if (policy.classifications.length > 0 && !policy.classifications.includes(request.classification)) return false;
  if (policy.crossesJurisdiction !== null && policy.crossesJurisdiction !== request.crossesJurisdiction) return false;
  return true;
}

/** The matching enabled policy with the lowest priority number (ties: name order); null if none. */
export function selectPolicy<P extends Omit<TStoredApprovalPolicy, "stages">>(
  policies: readonly P[],
  request: TRoutingRequest,
): P | null {
  const matches = policies
    .filter((p) => policyMatches(p, request))
    .sort((a, b) => a.priority - b.priority || a.name.localeCompare(b.name));
  return matches[0] ?? null;
}

export interface TApprovalRoute {
  /** The policy whose stages apply ("break-glass" on the emergency path). */
  policyName: string;
  /** True when no stored policy matched (or all were invalid) and the defaults decided. */
  fallback: boolean;
  stages: TApprovalStage[];
  /** What the invariants changed in the policy's stages, in words. */
  adjustments: string[];
  /** Stored policies skipped because their stages JSON is invalid. */
  invalidPolicies: { name: string; message: string }[];
  needsCompliance: boolean;
  breakGlass: boolean;
  /** The change must be reviewed after it ran (break-glass). */
  reviewAfterwards: boolean;
}

function uniqueName(base: string, stages: readonly TApprovalStage[]): string {
  let name = base;
  for (let n = 2; stages.some((s) => s.name === name); n++) name = `${base}-${n}`;
  return name;
}

function lastGroup(stages: readonly TApprovalStage[]): number {
  return stages.reduce((max, s) => Math.max(max, s.parallelGroup), 0);
}

export const BREAK_GLASS_POLICY_NAME = "break-glass";

/**
 * Pick the stages for a request: the winning stored policy (or the defaults when none
 * matches), then the invariants. Throws PolicyError("INVALID") when break-glass is asked for
 * a kind that does not allow it.
 */
export function routeApprovals(policies: readonly TStoredApprovalPolicy[], request: TRoutingRequest): TApprovalRoute {
  if (request.residencyVerdict === "BLOCKED")
    throw new PolicyError(
      "FORBIDDEN",
      "The residency policy blocks this change: no approval can allow it. Change the target and submit again.",
    );
  const needsCompliance = request.crossesJurisdiction && isSensitive(request.classification);
  const adjustments: string[] = [];
  const invalidPolicies: { name: string; message: string }[] = [];

  if (request.breakGlass) {
    if (!BREAK_GLASS_KINDS.includes(request.kind))
      throw new PolicyError("INVALID", `Only ${BREAK_GLASS_KINDS.join(", ")} may use the break-glass path`, {
        breakGlass: [`Break-glass is only for ${BREAK_GLASS_KINDS.join(", ")}`],
      });
    const stages: TApprovalStage[] = [{ name: "break-glass-dba", role: "DBA", team: null, quorum: 1, parallelGroup: 0 }];
    if (needsCompliance) {
      stages.push({ ...complianceStage });
      adjustments.push(
        `compliance stage kept on the break-glass path: ${request.classification} data crosses a jurisdiction border`,
      );
    }
    return {
      policyName: BREAK_GLASS_POLICY_NAME,
      fallback: false,
      stages,
      adjustments,
      invalidPolicies,
      needsCompliance,
      breakGlass: true,
      reviewAfterwards: true,
    };
  }

  const valid: (Omit<TStoredApprovalPolicy, "stages"> & { stages: TApprovalStage[] })[] = [];
  for (const policy of policies) {
    const parsed = ZApprovalStagesSchema.safeParse(policy.stages);
    if (parsed.success) valid.push({ ...policy, stages: parsed.data });
    else if (policy.enabled)
      invalidPolicies.push({ name: policy.name, message: parsed.error.issues[0]?.message ?? "invalid stages" });
  }
  let chosen = selectPolicy(valid, request);
  let fallback = false;
  if (!chosen) {
    chosen = selectPolicy(DEFAULT_POLICIES, request);
    fallback = true;
  }
  // DEFAULT_POLICIES ends with a catch-all, so `chosen` is set; keep the type checker honest.
  const stages: TApprovalStage[] = (chosen?.stages ?? [dbaStage(1)]).map((s) => ({ ...s }));

  if (riskAtLeast(request.risk, "HIGH")) {
    const dbaStages = stages.filter((s) => s.role === "DBA");
    const dbaQuorum = dbaStages.reduce((sum, s) => sum + s.quorum, 0);
    if (dbaQuorum < 2) {
      const first = dbaStages[0];
      if (first) {
        first.quorum = 2;
        adjustments.push(`stage "${first.name}" needs 2 approvals: ${request.risk} risk needs two distinct DBAs`);
      } else {
        const name = uniqueName("dba-review", stages);
        stages.push({ name, role: "DBA", team: null, quorum: 2, parallelGroup: 0 });
        adjustments.push(`stage "${name}" added: ${request.risk} risk needs two distinct DBAs`);
      }
    }
  }
  if (needsCompliance && !stages.some((s) => s.role === "COMPLIANCE")) {
    const name = uniqueName("compliance", stages);
    stages.push({ name, role: "COMPLIANCE", team: null, quorum: 1, parallelGroup: lastGroup(stages) });
    adjustments.push(
      `stage "${name}" added: ${request.classification} data crosses a jurisdiction border and compliance cannot be bypassed`,
    );
  }
  return {
    policyName: chosen?.name ?? "low-risk",
    fallback,
    stages,
    adjustments,
    invalidPolicies,
    needsCompliance,
    breakGlass: false,
    reviewAfterwards: false,
  };
}

// ---------------------------------------------------------------------------
// Approvals and separation of duties
// ---------------------------------------------------------------------------

export interface TApprover {
  id: string;
  roles: readonly TRole[];
  /** Teams in which this person is an APPROVER member. */
  approverOfTeamIds: readonly string[];
}

export interface TApprovalRecord {
  approver: TApprover;
  stage: string;
  decision: TApprovalDecision;
  /** Plan hash the approver saw. */
  planHash: string;
  voided: boolean;
  comment?: string;
}

export interface TApprovalContext {
  requesterId: string;
  /** Teams owning the request's cluster(s). */
  ownerTeamIds: readonly string[];
  /** Team slugs or names for messages, same order as ownerTeamIds. */
  ownerTeamNames?: readonly string[];
  /** The plan hash stored with the request now. */
  planHash: string | null;
  risk: TRiskLevel;
  breakGlass?: boolean;
}

export interface TStageProgress {
  name: string;
  role: TRole;
  team: "owner" | null;
  quorum: number;
  parallelGroup: number;
  /** Approver ids counted for this stage, in order. */
  approvedBy: string[];
  /** Approvals still needed. */
  needed: number;
  satisfied: boolean;
  /** Every stage of an earlier parallel group is satisfied. */
  open: boolean;
}

export type TApprovalOverall = "APPROVED" | "PENDING" | "REJECTED";

export interface TApprovalEvaluation {
  overall: TApprovalOverall;
  stages: TStageProgress[];
  rejectedBy: { approverId: string; stage: string; comment: string } | null;
  /** Records that did not count, with the reason (voided, stale plan, requester, counted elsewhere ...). */
  ignored: { approverId: string; stage: string; reason: string }[];
  /** Distinct DBAs counted in DBA stages. */
  distinctDbaApprovers: number;
  /** What is still missing, in words. */
  waitingFor: string[];
}

function isCurrent(record: TApprovalRecord, planHash: string | null): boolean {
  return !record.voided && planHash !== null && record.planHash === planHash;
}

function teamLabel(context: Pick<TApprovalContext, "ownerTeamIds" | "ownerTeamNames">): string {
  const names = context.ownerTeamNames?.length ? context.ownerTeamNames : context.ownerTeamIds;
  return names.join(", ");
}

/** Why `approver` may not act in `stage`, or null when qualified. Role and team only. */
function qualificationProblem(
  approver: TApprover,
  stage: TApprovalStage,
  context: Pick<TApprovalContext, "ownerTeamIds" | "ownerTeamNames">,
): { code: "ROLE_REQUIRED" | "NOT_TEAM_APPROVER"; reason: string } | null {
  if (!approver.roles.includes(stage.role)) return { code: "ROLE_REQUIRED", reason: `role ${stage.role} required` };
  if (stage.team === "owner" && !approver.approverOfTeamIds.some((t) => context.ownerTeamIds.includes(t)))
    return { code: "NOT_TEAM_APPROVER", reason: `not an approver of team ${teamLabel(context)}` };
  return null;
}

function sortedGroups(stages: readonly TApprovalStage[]): number[] {
  return [...new Set(stages.map((s) => s.parallelGroup))].sort((a, b) => a - b);
}

/**
 * Count the approvals of a request against its stages. Records are taken in the order given
 * (oldest first): a person's first counted approval is the one that counts.
 */
export function evaluateApprovals(
  stages: readonly TApprovalStage[],
  approvals: readonly TApprovalRecord[],
  context: TApprovalContext,
): TApprovalEvaluation {
  const counted = new Map<string, string[]>(stages.map((s) => [s.name, []]));
  const countedPeople = new Set<string>();
  const ignored: TApprovalEvaluation["ignored"] = [];
  let rejectedBy: TApprovalEvaluation["rejectedBy"] = null;

  for (const record of approvals) {
    const who = record.approver.id;
    const skip = (reason: string) => ignored.push({ approverId: who, stage: record.stage, reason });
    if (record.voided) {
      skip("voided: the plan changed after this decision");
      continue;
    }
    if (!isCurrent(record, context.planHash)) {
      skip("given for an earlier plan");
      continue;
    }
    if (who === context.requesterId) {
      skip("requester cannot approve own request");
      continue;
    }
    const stage = stages.find((s) => s.name === record.stage);
    if (!stage) {
      skip(`no stage named "${record.stage}" on this request`);
      continue;
    }
    const problem = qualificationProblem(record.approver, stage, context);
    if (problem) {
      skip(problem.reason);
      continue;
    }
    if (record.decision === "REJECT") {
      rejectedBy ??= { approverId: who, stage: stage.name, comment: record.comment ?? "" };
      continue;
    }
    if (countedPeople.has(who)) {
      skip("already approved this request: one person counts once");
      continue;
    }
    const list = counted.get(stage.name) ?? [];
    if (list.length >= stage.quorum) {
      skip(`stage "${stage.name}" already had its ${stage.quorum} approval${stage.quorum > 1 ? "s" : ""}`);
      continue;
    }
    list.push(who);
    counted.set(stage.name, list);
    countedPeople.add(who);
  }

  const groups = sortedGroups(stages);
  const satisfiedOf = (s: TApprovalStage) => (counted.get(s.name)?.length ?? 0) >= s.quorum;
  const progress: TStageProgress[] = stages.map((s) => {
    const approvedBy = counted.get(s.name) ?? [];
    const earlier = groups.filter((g) => g < s.parallelGroup);
    const open = stages.filter((o) => earlier.includes(o.parallelGroup)).every(satisfiedOf);
    return {
      name: s.name,
      role: s.role,
      team: s.team,
      quorum: s.quorum,
      parallelGroup: s.parallelGroup,
      approvedBy: [...approvedBy],
      needed: Math.max(0, s.quorum - approvedBy.length),
      satisfied: approvedBy.length >= s.quorum,
      open,
    };
  });

  const dbaPeople = new Set(progress.filter((p) => p.role === "DBA").flatMap((p) => p.approvedBy));
  const waitingFor: string[] = [];
  for (const p of progress)
    if (!p.satisfied)
      waitingFor.push(
        `${p.needed} more approval${p.needed > 1 ? "s" : ""} in stage "${p.name}" (${ROLE_LABELS[p.role]}${p.team === "owner" ? " of the owning team" : ""})`,
      );
  const needsTwoDbas = riskAtLeast(context.risk, "HIGH") && !context.breakGlass;
  if (needsTwoDbas && dbaPeople.size < 2)
    waitingFor.push(`${context.risk} risk needs two distinct DBAs (${dbaPeople.size} so far)`);
  if (context.planHash === null) waitingFor.push("the request has no plan yet");

  const overall: TApprovalOverall = rejectedBy
    ? "REJECTED"
    : stages.length > 0 && waitingFor.length === 0
      ? "APPROVED"
      : "PENDING";
  if (stages.length === 0 && !rejectedBy) waitingFor.push("no approval stages: route the request first");
  return { overall, stages: progress, rejectedBy, ignored, distinctDbaApprovers: dbaPeople.size, waitingFor };
}

export interface TApprovalRequestState extends TApprovalContext {
  status: TChangeStatus;
  stages: readonly TApprovalStage[];
  /** Every approval record of the request, oldest first (voided ones included). */
  approvals: readonly TApprovalRecord[];
}

export const APPROVAL_REFUSAL_CODES = [
  "NOT_PENDING",
  "NO_PLAN",
  "REQUESTER_CANNOT_APPROVE",
  "ALREADY_ACTED",
  "UNKNOWN_STAGE",
  "ROLE_REQUIRED",
  "NOT_TEAM_APPROVER",
  "STAGE_NOT_OPEN",
  "STAGE_SATISFIED",
] as const;
export type TApprovalRefusalCode = (typeof APPROVAL_REFUSAL_CODES)[number];

export type TApprovalCheck = { ok: true } | { ok: false; code: TApprovalRefusalCode; reason: string };

/** Refusals that mean "the state moved on" (409) rather than "you may not" (403). */
const CONFLICT_REFUSALS: readonly TApprovalRefusalCode[] = ["NOT_PENDING", "ALREADY_ACTED", "STAGE_SATISFIED"];

/**
 * May `actor` record `decision` in `stageName` of this request? Returns a typed refusal with
 * a readable reason. Order: status, plan, requester, one decision per person, stage, role,
 * team, stage order, quorum (a rejection may be recorded in a satisfied stage: it is a veto).
 */
export function checkCanApprove(
  actor: TApprover,
  request: TApprovalRequestState,
  stageName: string,
  decision: TApprovalDecision = "APPROVE",
): TApprovalCheck {
  const refuse = (code: TApprovalRefusalCode, reason: string): TApprovalCheck => ({ ok: false, code, reason });
  if (request.status !== "PENDING_APPROVAL")
    return refuse(
      "NOT_PENDING",
      `the request is ${CHANGE_STATUS_LABELS[request.status].toLowerCase()}, not waiting for approval`,
    );
  if (request.planHash === null) return refuse("NO_PLAN", "the request has no plan to approve");
  if (actor.id === request.requesterId) return refuse("REQUESTER_CANNOT_APPROVE", "requester cannot approve own request");
  const previous = request.approvals.find((a) => a.approver.id === actor.id && isCurrent(a, request.planHash));
  if (previous)
    return refuse(
      "ALREADY_ACTED",
      previous.decision === "APPROVE" ? "already approved this request" : "already rejected this request",
    );
  const stage = request.stages.find((s) => s.name === stageName);
  if (!stage) return refuse("UNKNOWN_STAGE", `no stage named "${stageName}" on this request`);
  const problem = qualificationProblem(actor, stage, request);
  if (problem) return refuse(problem.code, problem.reason);

  if (decision === "REJECT") return { ok: true };
  const evaluation = evaluateApprovals(request.stages, request.approvals, request);
  const progress = evaluation.stages.find((s) => s.name === stage.name);
  if (progress && !progress.open) {
    const blocking = evaluation.stages
      .filter((s) => s.parallelGroup < stage.parallelGroup && !s.satisfied)
      .map((s) => `"${s.name}"`);
    return refuse("STAGE_NOT_OPEN", `stage "${stage.name}" opens after ${blocking.join(", ")} ${blocking.length > 1 ? "are" : "is"} approved`);
  }
  if (progress?.satisfied)
    return refuse(
      "STAGE_SATISFIED",
      `stage "${stage.name}" already has its ${stage.quorum} approval${stage.quorum > 1 ? "s" : ""}`,
    );
  return { ok: true };
}

/** Like checkCanApprove, but throws a PolicyError (FORBIDDEN, or CONFLICT when the state moved on). */
export function assertCanApprove(
  actor: TApprover,
  request: TApprovalRequestState,
  stageName: string,
  decision: TApprovalDecision = "APPROVE",
): void {
  const check = checkCanApprove(actor, request, stageName, decision);
  if (!check.ok) throw new ApprovalRefusedError(check.code, check.reason);
}

export class ApprovalRefusedError extends PolicyError {
  constructor(
    public readonly refusal: TApprovalRefusalCode,
    reason: string,
  ) {
    super(CONFLICT_REFUSALS.includes(refusal) ? "CONFLICT" : "FORBIDDEN", reason);
    this.name = "ApprovalRefusedError";
  }
}

/** Stages `actor` could approve right now (for the inbox and the approve button). */
export function stagesActorCanApprove(actor: TApprover, request: TApprovalRequestState): string[] {
  return request.stages.filter((s) => checkCanApprove(actor, request, s.name).ok).map((s) => s.name);
}
