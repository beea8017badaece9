import { type PrismaClient } from "@meridian/db";
import { planChangeVoidsApprovals, statusAfterPlanChange, type TChangeStatus } from "@meridian/policy";
import { AppError } from "../../errors";
import { type TUpdateChangeRequestRequest } from "../../routers/changes/update-change-request.schema";
import { toJson } from "../audit/append-audit-event";
import { kickWebhookDeliverer } from "../webhooks/deliver-webhooks";
import { type TActor } from "./actor";
import { assertMayFileFor, plannedColumns, type TChangeRequestRef } from "./create-change-request";
import { assertVersion, findRequestByNumber } from "./load-request";
import { planRequest } from "./plan-request";
import { recordChangeEvent } from "./record-event";
import { routeRequest, routingNotesOf } from "./routing";
import { statusLabel, transitionRequest, updateRequestGuarded } from "./transition";

export interface TUpdateResult extends TChangeRequestRef {
  planChanged: boolean;
  /** Approvals voided because the plan changed. */
  voidedApprovals: number;
}

/**
 * Edits a request (title, description, parameters, window) and plans it again. When the plan
 * hash changes on a request that waits for or holds approvals, every approval given so far is
 * voided, the stages are routed again for the new plan, and the request goes back to
 * PENDING_APPROVAL. A DRAFT stays a DRAFT; a BLOCKED request that is now allowed becomes a
 * DRAFT again; one that is now forbidden becomes BLOCKED.
 */
export async function updateChangeRequest(
  prisma: PrismaClient,
  actor: TActor,
  input: TUpdateChangeRequestRequest,
  options: { now: Date },
): Promise<TUpdateResult> {
  const request = await findRequestByNumber(prisma, input.number);
  if (request.requesterId !== actor.id)
    throw new AppError("FORBIDDEN", `Only the requester of CR-${request.number} can edit it`);
  assertVersion(request, input.expectedVersion);
  const editable = statusAfterPlanChange(request.status);
  if (editable === null)
    throw new AppError("CONFLICT", `CR-${request.number} is ${statusLabel(request.status)}: it can no longer be edited`);
  if (input.params && input.params.kind !== request.kind)
    throw new AppError("INVALID", `CR-${request.number} is a ${request.kind} request; file a new request for a ${input.params.kind}`, {
      "params.kind": [`The kind stays ${request.kind}`],
    });
  if (input.params) await assertMayFileFor(prisma, actor, input.params);

  const planned = await planRequest(prisma, {
    requestId: request.id,
    params: input.params ?? request.parameters,
    maintenanceWindowId: input.maintenanceWindowId === undefined ? request.maintenanceWindowId : input.maintenanceWindowId,
    now: options.now,
  });
  const planChanged = planned.planHash !== request.planHash;
  const voids = planChanged && planChangeVoidsApprovals(request.status);
  let target: TChangeStatus = request.status;
  if (planned.residencyVerdict === "BLOCKED") target = "BLOCKED";
  else if (request.status === "BLOCKED") target = "DRAFT";
  else if (voids) target = editable;

  const route = target === "PENDING_APPROVAL" && voids ? await routeRequest(prisma, planned.routing, request.breakGlass) : null;
  const title = input.title ?? request.title;
  const ref = { id: request.id, number: request.number, title, kind: request.kind, riskLevel: planned.riskLevel };
  const who = { id: actor.id, email: actor.email, name: actor.name };

  const result = await prisma.$transaction(async (tx) => {
    const columns = {
      ...plannedColumns(planned),
      title,
      description: input.description ?? request.description,
      ...(route
        ? {
            approvalStages: toJson(route.stages),
            approvalPolicyName: route.policyName,
            routingNotes: routingNotesOf(route),
            decidedAt: null,
          }
        : {}),
    };
    let version = await updateRequestGuarded(tx, request, { status: request.status, version: request.version }, columns);
    let voidedApprovals = 0;
    if (voids || (planChanged && target === "BLOCKED")) {
      const voided = await tx.approval.updateMany({ where: { requestId: request.id, voided: false }, data: { voided: true } });
      voidedApprovals = voided.count;
    }
    await recordChangeEvent(
      tx,
      {
        actor: who,
        action: "changeRequest.edited",
        request: ref,
        before: { title: request.title, params: request.parameters, planHash: request.planHash, maintenanceWindowId: request.maintenanceWindowId },
        after: {
          title,
          params: planned.params,
          planHash: planned.planHash,
          planChanged,
          voidedApprovals,
          maintenanceWindowId: planned.window?.id ?? null,
        },
      },
      options.now,
    );
    if (target !== request.status) {
      version = await transitionRequest(tx, request, { from: request.status, to: target, version });
      await recordChangeEvent(
        tx,
        {
          actor: who,
          action: target === "BLOCKED" ? "changeRequest.blocked" : "changeRequest.planChanged",
          request: ref,
          from: request.status,
          to: target,
          after: target === "BLOCKED" ? { rule: planned.residencyRule } : { planHash: planned.planHash, voidedApprovals },
          note:
            target === "BLOCKED"
              ? (planned.residencyRule ?? undefined)
              : voidedApprovals > 0
                ? `the plan changed: ${voidedApprovals} approval${voidedApprovals > 1 ? "s" : ""} voided`
                : "the plan changed",
        },
        options.now,
      );
    } else if (voids && voidedApprovals > 0) {
      await recordChangeEvent(
        tx,
        {
          actor: who,
          action: "changeRequest.approvalsVoided",
          request: ref,
          after: { planHash: planned.planHash, voidedApprovals },
        },
        options.now,
      );
    }
    return { version, voidedApprovals };
  });
  kickWebhookDeliverer(prisma);
  return { id: request.id, number: request.number, status: target, version: result.version, planChanged, voidedApprovals: result.voidedApprovals };
}
