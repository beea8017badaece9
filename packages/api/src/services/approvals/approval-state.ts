import {
  isRole,
  ZApprovalStagesSchema,
  type TApprovalRecord,
  type TApprovalRequestState,
  type TApprovalStage,
  type TApprover,
  type TChangeStatus,
  type TRiskLevel,
} from "@meridian/policy";
import { type TDb } from "../audit/append-audit-event";

/** The frozen stages of a request; [] when it was never routed (or the JSON is unreadable). */
export function stagesOf(json: unknown): TApprovalStage[] {
  if (json === null || json === undefined) return [];
  const parsed = ZApprovalStagesSchema.safeParse(json);
  return parsed.success ? parsed.data : [];
}

export interface TApprovalRow {
  id: string;
  stage: string;
  decision: "APPROVE" | "REJECT";
  comment: string;
  planHash: string;
  voided: boolean;
  createdAt: Date;
  approver: { id: string; name: string; email: string; roles: string[] };
}

export interface TRequestForApproval {
  id: string;
  number: number;
  title: string;
  kind: string;
  status: TChangeStatus;
  version: number;
  requesterId: string;
  planHash: string | null;
  riskLevel: TRiskLevel | null;
  breakGlass: boolean;
  ownerTeamIds: string[];
  approvalStages: unknown;
}

/** Approvers' team memberships (APPROVER role), for the team stages. */
async function approverTeamsOf(db: TDb, userIds: readonly string[]): Promise<Map<string, string[]>> {
  if (userIds.length === 0) return new Map();
  const rows = await db.teamMembership.findMany({
    where: { userId: { in: [...new Set(userIds)] }, role: "APPROVER" },
    select: { userId: true, teamId: true },
  });
  const out = new Map<string, string[]>();
  for (const r of rows) out.set(r.userId, [...(out.get(r.userId) ?? []), r.teamId]);
  return out;
}

export async function approverOf(db: TDb, user: { id: string; roles: readonly string[] }): Promise<TApprover> {
  const teams = await approverTeamsOf(db, [user.id]);
  return { id: user.id, roles: user.roles.filter(isRole), approverOfTeamIds: teams.get(user.id) ?? [] };
}

export async function loadApprovalRows(db: TDb, requestIds: readonly string[]): Promise<Map<string, TApprovalRow[]>> {
  if (requestIds.length === 0) return new Map();
  const rows = await db.approval.findMany({
    where: { requestId: { in: [...requestIds] } },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: {
      id: true,
      requestId: true,
      stage: true,
      decision: true,
      comment: true,
      planHash: true,
      voided: true,
      createdAt: true,
      approver: { select: { id: true, name: true, email: true, roles: true } },
    },
  });
  const out = new Map<string, TApprovalRow[]>();
  for (const { requestId, ...row } of rows) out.set(requestId, [...(out.get(requestId) ?? []), row]);
  return out;
}

/** What policy's approval rules need to know about one request. */
export async function approvalStatesOf(
  db: TDb,
  requests: readonly TRequestForApproval[],
): Promise<Map<string, { state: TApprovalRequestState; rows: TApprovalRow[] }>> {
  const rowsBy = await loadApprovalRows(db, requests.map((r) => r.id));
  const approverIds = [...rowsBy.values()].flatMap((rows) => rows.map((r) => r.approver.id));
  const teamsBy = await approverTeamsOf(db, approverIds);
  const teamIds = [...new Set(requests.flatMap((r) => r.ownerTeamIds))];
  const teams = teamIds.length ? await db.team.findMany({ where: { id: { in: teamIds } }, select: { id: true, name: true } }) : [];
  const teamName = new Map(teams.map((t) => [t.id, t.name]));
  const out = new Map<string, { state: TApprovalRequestState; rows: TApprovalRow[] }>();
  for (const request of requests) {
    const rows = rowsBy.get(request.id) ?? [];
    const approvals: TApprovalRecord[] = rows.map((r) => ({
      approver: { id: r.approver.id, roles: r.approver.roles.filter(isRole), approverOfTeamIds: teamsBy.get(r.approver.id) ?? [] },
      stage: r.stage,
      decision: r.decision,
      planHash: r.planHash,
      voided: r.voided,
      comment: r.comment,
    }));
    out.set(request.id, {
      rows,
      state: {
        status: request.status,
        stages: stagesOf(request.approvalStages),
        approvals,
        requesterId: request.requesterId,
        ownerTeamIds: request.ownerTeamIds,
        ownerTeamNames: request.ownerTeamIds.map((id) => teamName.get(id) ?? id),
        planHash: request.planHash,
        risk: request.riskLevel ?? "LOW",
        breakGlass: request.breakGlass,
      },
    });
  }
  return out;
}

export const REQUEST_FOR_APPROVAL_SELECT = {
  id: true,
  number: true,
  title: true,
  kind: true,
  status: true,
  version: true,
  requesterId: true,
  planHash: true,
  riskLevel: true,
  breakGlass: true,
  ownerTeamIds: true,
  approvalStages: true,
} as const;
