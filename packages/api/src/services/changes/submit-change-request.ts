import { type PrismaClient } from "@meridian/db";
import { assertTransition, type TChangeStatus } from "@meridian/policy";
import { AppError } from "../../errors";
import { type TSubmitChangeRequestRequest } from "../../routers/changes/submit-change-request.schema";
import { toJson } from "../audit/append-audit-event";
import { kickWebhookDeliverer } from "../webhooks/deliver-webhooks";
import { type TActor } from "./actor";
import { plannedColumns, type TChangeRequestRef } from "./create-change-request";
import { toAppError } from "./errors";
import { assertVersion, findRequestByNumber } from "./load-request";
import { planRequest } from "./plan-request";
import { recordChangeEvent } from "./record-event";
import { routeRequest, routingNotesOf } from "./routing";
import { statusLabel, transitionRequest, updateRequestGuarded } from "./transition";

/**
 * DRAFT -> PENDING_APPROVAL. The request is planned again against the fleet as it is now (the
 * approvers approve a fresh plan), routed through the approval policies, and its stages are
 * frozen on the request. A change that has become forbidden by residency goes to BLOCKED.
 */
export async function submitChangeRequest(
  prisma: PrismaClient,
  actor: TActor,
  input: TSubmitChangeRequestRequest,
  options: { now: Date },
): Promise<TChangeRequestRef> {
  const request = await findRequestByNumber(prisma, input.number);
  if (request.requesterId !== actor.id)
    throw new AppError("FORBIDDEN", `Only the requester of CR-${request.number} can submit it`);
  assertVersion(request, input.expectedVersion);
  if (request.status !== "DRAFT")
    throw new AppError(
      "CONFLICT",
      request.status === "BLOCKED"
        ? `CR-${request.number} is blocked by policy: change it so that the policy allows it, then submit`
        : `CR-${request.number} is ${statusLabel(request.status)}: only a draft can be submitted`,
    );
  try {
    assertTransition(request.status, "PENDING_APPROVAL");
  } catch (error) {
    throw toAppError(error);
  }

  const planned = await planRequest(prisma, {
    requestId: request.id,
    params: request.parameters,
    maintenanceWindowId: request.maintenanceWindowId,
    now: options.now,
  });
  const ref = { id: request.id, number: request.number, title: request.title, kind: request.kind, riskLevel: planned.riskLevel };
  const who = { id: actor.id, email: actor.email, name: actor.name };

  if (planned.residencyVerdict === "BLOCKED") {
    const version = await prisma.$transaction(async (tx) => {
      const v = await transitionRequest(tx, request, { from: request.status, to: "BLOCKED", version: request.version }, plannedColumns(planned));
      await recordChangeEvent(
        tx,
        { actor: who, action: "changeRequest.blocked", request: ref, from: request.status, to: "BLOCKED", after: { rule: planned.residencyRule }, note: planned.residencyRule ?? undefined },
        options.now,
      );
      return v;
    });
    kickWebhookDeliverer(prisma);
    return { id: request.id, number: request.number, status: "BLOCKED", version };
  }

  const route = await routeRequest(prisma, planned.routing, request.breakGlass);
  const version = await prisma.$transaction(async (tx) => {
    const replanned = planned.planHash !== request.planHash;
    let v = request.version;
    if (replanned) v = await updateRequestGuarded(tx, request, { status: request.status, version: v }, plannedColumns(planned));
    v = await transitionRequest(
      tx,
      request,
      { from: request.status, to: "PENDING_APPROVAL", version: v },
      {
        approvalStages: toJson(route.stages),
        approvalPolicyName: route.policyName,
        routingNotes: routingNotesOf(route),
        submittedAt: options.now,
        decidedAt: null,
      },
    );
    await recordChangeEvent(
      tx,
      {
        actor: who,
        action: "changeRequest.submitted",
        request: ref,
        from: request.status as TChangeStatus,
        to: "PENDING_APPROVAL",
        after: {
          planHash: planned.planHash,
          replanned,
          risk: planned.riskLevel,
          policy: route.policyName,
          stages: route.stages,
          breakGlass: request.breakGlass,
        },
      },
      options.now,
    );
    return v;
  });
  kickWebhookDeliverer(prisma);
  return { id: request.id, number: request.number, status: "PENDING_APPROVAL", version };
}
