import { type PrismaClient } from "@meridian/db";
import {
  ApprovalRefusedError,
  assertCanApprove,
  evaluateApprovals,
  type TApprovalEvaluation,
  type TChangeStatus,
} from "@meridian/policy";
import { AppError } from "../../errors";
import { type TDecideChangeRequestRequest } from "../../routers/approvals/decide-change-request.schema";
import { appendAuditEvent } from "../audit/append-audit-event";
import { type TActor } from "../changes/actor";
import { isSeparationOfDutiesViolation, isUniqueViolation, toAppError } from "../changes/errors";
import { recordChangeEvent } from "../changes/record-event";
import { transitionRequest, VersionMovedError } from "../changes/transition";
import { enqueueApprovedRequest } from "../executions/enqueue-approved";
import { kickWebhookDeliverer } from "../webhooks/deliver-webhooks";
import { approvalStatesOf, approverOf, REQUEST_FOR_APPROVAL_SELECT } from "./approval-state";

export interface TDecisionResult {
  number: number;
  status: TChangeStatus;
  /** The request moved (APPROVED or REJECTED) because of this decision. */
  transitioned: boolean;
  evaluation: Pick<TApprovalEvaluation, "overall" | "waitingFor">;
}

const MAX_ROUNDS = 6;

/**
 * Records an approval or a rejection. Separation of duties is checked here (policy's
 * `checkCanApprove`: requester never, one person once, role and team of the stage, stage
 * order, quorum) and again by the database (trigger: requester != approver; partial unique
 * index: one live decision per person). Each decision is a conditional update of the
 * request's version, so two approvers acting at the same moment are serialised: the second
 * one re-reads the request and is counted against the fresh state, and exactly one of them
 * moves the request to APPROVED. A rejection ends the request.
 */
export async function decideChangeRequest(
  prisma: PrismaClient,
  actor: TActor,
  input: TDecideChangeRequestRequest,
  options: { now: Date },
): Promise<TDecisionResult> {
  const approver = await approverOf(prisma, actor);
  for (let round = 0; ; round++) {
    const request = await prisma.changeRequest.findUnique({ where: { number: input.number }, select: REQUEST_FOR_APPROVAL_SELECT });
    if (!request) throw new AppError("NOT_FOUND", `No change request CR-${input.number}`);
    const { state } = (await approvalStatesOf(prisma, [request])).get(request.id)!;
    try {
      assertCanApprove(approver, state, input.stage, input.decision);
    } catch (error) {
      if (error instanceof ApprovalRefusedError) throw new AppError(error.code === "CONFLICT" ? "CONFLICT" : "FORBIDDEN", `You cannot ${input.decision === "APPROVE" ? "approve" : "reject"} CR-${request.number}: ${error.message}`);
      throw toAppError(error);
    }
    if (input.planHash !== request.planHash)
      throw new AppError(
        "CONFLICT",
        `The plan of CR-${request.number} changed since you looked at it: review the new plan and decide again`,
      );

    try {
      const result = await prisma.$transaction(async (tx) => {
        // Claim: serialises decisions on this request (the second waits, then finds a new version).
        let version = request.version;
        const claimed = await tx.changeRequest.updateMany({
          where: { id: request.id, status: "PENDING_APPROVAL", version },
          data: { version: { increment: 1 } },
        });
        if (claimed.count !== 1) throw new VersionMovedError(request.number);
        version += 1;
        const approval = await tx.approval.create({
          data: {
            requestId: request.id,
            stage: input.stage,
            approverId: actor.id,
            decision: input.decision,
            comment: input.comment,
            planHash: request.planHash!,
            createdAt: options.now,
          },
          select: { id: true },
        });
        const fresh = (await approvalStatesOf(tx, [{ ...request, version }])).get(request.id)!;
        const evaluation = evaluateApprovals(fresh.state.stages, fresh.state.approvals, fresh.state);
        const ref = { id: request.id, number: request.number, title: request.title, kind: request.kind, riskLevel: request.riskLevel };
        const who = { id: actor.id, email: actor.email, name: actor.name };
        await appendAuditEvent(tx, {
          actor: who,
          action: input.decision === "APPROVE" ? "approval.approved" : "approval.rejected",
          targetType: "changeRequest",
          targetId: request.id,
          after: {
            number: request.number,
            approvalId: approval.id,
            stage: input.stage,
            decision: input.decision,
            comment: input.comment,
            planHash: request.planHash,
            overall: evaluation.overall,
          },
        });
        let status: TChangeStatus = "PENDING_APPROVAL";
        if (evaluation.overall === "REJECTED" || evaluation.overall === "APPROVED") {
          status = evaluation.overall;
          await transitionRequest(tx, request, { from: "PENDING_APPROVAL", to: status, version }, { decidedAt: options.now });
          await recordChangeEvent(
            tx,
            {
              actor: who,
              action: status === "APPROVED" ? "changeRequest.approved" : "changeRequest.rejected",
              request: ref,
              from: "PENDING_APPROVAL",
              to: status,
              after: { planHash: request.planHash, stages: evaluation.stages.map((s) => ({ name: s.name, approvedBy: s.approvedBy })) },
              note: status === "REJECTED" ? input.comment : undefined,
            },
            options.now,
          );
        }
        return { status, evaluation };
      });
      kickWebhookDeliverer(prisma);
      // The approval has committed: enqueue the execution now (its own transaction; NOTIFY wakes a worker).
      if (result.status === "APPROVED") await enqueueApprovedRequest(prisma, request.id);
      return {
        number: request.number,
        status: result.status,
        transitioned: result.status !== "PENDING_APPROVAL",
        evaluation: { overall: result.evaluation.overall, waitingFor: result.evaluation.waitingFor },
      };
    } catch (error) {
      if (error instanceof VersionMovedError && round < MAX_ROUNDS) continue;
      if (isSeparationOfDutiesViolation(error))
        throw new AppError("FORBIDDEN", `You cannot decide on CR-${request.number}: requester cannot approve own request`);
      if (isUniqueViolation(error))
        throw new AppError("CONFLICT", `You already decided on CR-${request.number}: one person counts once`);
      throw error;
    }
  }
}
