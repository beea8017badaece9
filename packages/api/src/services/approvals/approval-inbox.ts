import { type PrismaClient } from "@meridian/db";
import {
  can,
  checkCanApprove,
  evaluateApprovals,
  type TChangeKind,
  type TChangeStatus,
  type TRiskLevel,
  type TRole,
} from "@meridian/policy";
import { type TActor } from "../changes/actor";
import { approvalStatesOf, approverOf, REQUEST_FOR_APPROVAL_SELECT } from "./approval-state";

export interface TInboxItem {
  id: string;
  number: number;
  title: string;
  kind: TChangeKind;
  status: TChangeStatus;
  riskLevel: TRiskLevel | null;
  residencyVerdict: string | null;
  clusterName: string | null;
  requesterName: string;
  submittedAt: Date | null;
  updatedAt: Date;
  breakGlass: boolean;
  /** Stages the viewer can approve now. */
  stages: string[];
  waitingFor: string[];
}

export interface TApprovalInbox {
  /** Requests the viewer can approve or reject now. */
  actionable: TInboxItem[];
  /** The viewer's own requests that wait for approval. */
  mineWaiting: TInboxItem[];
  /** The viewer's drafts and blocked requests, to finish or fix. */
  mineToFinish: TInboxItem[];
  /** Break-glass changes that wait for their after-the-fact review (for reviewers). */
  toReview: TInboxItem[];
}

const MAX_PENDING = 500;

/** What each persona can act on now. A user with no decision to make gets empty lists. */
export async function approvalInbox(prisma: PrismaClient, actor: TActor): Promise<TApprovalInbox> {
  const roles = actor.roles as TRole[];
  const select = {
    ...REQUEST_FOR_APPROVAL_SELECT,
    residencyVerdict: true,
    submittedAt: true,
    updatedAt: true,
    reviewRequired: true,
    reviewedAt: true,
    cluster: { select: { name: true } },
    requester: { select: { name: true } },
  } as const;
  const [pending, mine, reviews] = await Promise.all([
    prisma.changeRequest.findMany({
      where: { status: "PENDING_APPROVAL" },
      orderBy: { submittedAt: "asc" },
      take: MAX_PENDING,
      select,
    }),
    prisma.changeRequest.findMany({
      where: { requesterId: actor.id, status: { in: ["DRAFT", "BLOCKED", "PENDING_APPROVAL"] } },
      orderBy: { updatedAt: "desc" },
      take: 100,
      select,
    }),
    can(roles, "changeRequest.review")
      ? prisma.changeRequest.findMany({
          where: { reviewRequired: true, reviewedAt: null, status: { notIn: ["DRAFT", "PENDING_APPROVAL", "CANCELLED"] }, requesterId: { not: actor.id } },
          orderBy: { updatedAt: "asc" },
          take: 100,
          select,
        })
      : Promise.resolve([]),
  ]);
  const states = await approvalStatesOf(prisma, [...pending, ...mine]);
  const approver = await approverOf(prisma, actor);
  const canDecide = can(roles, "changeRequest.approve");

  const item = (r: (typeof pending)[number], stages: string[]): TInboxItem => {
    const s = states.get(r.id);
    const waitingFor = s && r.status === "PENDING_APPROVAL" ? evaluateApprovals(s.state.stages, s.state.approvals, s.state).waitingFor : [];
    return {
      id: r.id,
      number: r.number,
      title: r.title,
      kind: r.kind,
      status: r.status,
      riskLevel: r.riskLevel,
      residencyVerdict: r.residencyVerdict,
      clusterName: r.cluster?.name ?? null,
      requesterName: r.requester.name,
      submittedAt: r.submittedAt,
      updatedAt: r.updatedAt,
      breakGlass: r.breakGlass,
      stages,
      waitingFor,
    };
  };

  const actionable: TInboxItem[] = [];
  if (canDecide)
    for (const r of pending) {
      const s = states.get(r.id);
      if (!s) continue;
      const stages = s.state.stages.filter((st) => checkCanApprove(approver, s.state, st.name, "APPROVE").ok).map((st) => st.name);
      if (stages.length > 0) actionable.push(item(r, stages));
    }
  return {
    actionable,
    mineWaiting: mine.filter((r) => r.status === "PENDING_APPROVAL").map((r) => item(r, [])),
    mineToFinish: mine.filter((r) => r.status !== "PENDING_APPROVAL").map((r) => item(r, [])),
    toReview: reviews.map((r) => item(r, [])),
  };
}

/** The number on the navigation badge: decisions waiting for the viewer. */
export async function approvalInboxCount(prisma: PrismaClient, actor: TActor): Promise<{ actionable: number; toReview: number }> {
  const inbox = await approvalInbox(prisma, actor);
  return { actionable: inbox.actionable.length, toReview: inbox.toReview.length };
}
