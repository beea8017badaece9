import { type PrismaClient } from "@meridian/db";
import { assertTransition } from "@meridian/policy";
import { AppError } from "../../errors";
import { type TCancelChangeRequestRequest } from "../../routers/changes/cancel-change-request.schema";
import { kickWebhookDeliverer } from "../webhooks/deliver-webhooks";
import { actsFleetWide, type TActor } from "./actor";
import { type TChangeRequestRef } from "./create-change-request";
import { toAppError } from "./errors";
import { assertVersion, findRequestByNumber } from "./load-request";
import { recordChangeEvent } from "./record-event";
import { transitionRequest } from "./transition";

/** The requester cancels their request; DBAs and administrators may cancel any. */
export async function cancelChangeRequest(
  prisma: PrismaClient,
  actor: TActor,
  input: TCancelChangeRequestRequest,
  options: { now: Date },
): Promise<TChangeRequestRef> {
  const request = await findRequestByNumber(prisma, input.number);
  if (request.requesterId !== actor.id && !actsFleetWide(actor.roles))
    throw new AppError("FORBIDDEN", `Only the requester of CR-${request.number}, a DBA or an administrator can cancel it`);
  assertVersion(request, input.expectedVersion);
  try {
    assertTransition(request.status, "CANCELLED");
  } catch (error) {
    throw toAppError(error);
  }
  const version = await prisma.$transaction(async (tx) => {
    const v = await transitionRequest(tx, request, { from: request.status, to: "CANCELLED", version: request.version }, { decidedAt: options.now });
    if (input.reason)
      await tx.changeComment.create({
        data: { requestId: request.id, authorId: actor.id, body: `Cancelled: ${input.reason}`, createdAt: options.now },
      });
    await recordChangeEvent(
      tx,
      {
        actor: { id: actor.id, email: actor.email, name: actor.name },
        action: "changeRequest.cancelled",
        request: { id: request.id, number: request.number, title: request.title, kind: request.kind, riskLevel: request.riskLevel },
        from: request.status,
        to: "CANCELLED",
        after: { reason: input.reason },
        note: input.reason || undefined,
      },
      options.now,
    );
    return v;
  });
  kickWebhookDeliverer(prisma);
  return { id: request.id, number: request.number, status: "CANCELLED", version };
}
