import { type PrismaClient } from "@meridian/db";
import { AppError } from "../../errors";
import { type TReviewChangeRequestRequest } from "../../routers/changes/review-change-request.schema";
import { type TActor } from "./actor";
import { findRequestByNumber } from "./load-request";
import { recordChangeEvent } from "./record-event";

/**
 * The after-the-fact review of a break-glass change, by someone other than its requester.
 * A conditional update: two reviewers cannot both record the review.
 */
export async function reviewChangeRequest(
  prisma: PrismaClient,
  actor: TActor,
  input: TReviewChangeRequestRequest,
  options: { now: Date },
): Promise<{ number: number; reviewedAt: Date }> {
  const request = await findRequestByNumber(prisma, input.number);
  if (!request.reviewRequired) throw new AppError("CONFLICT", `CR-${request.number} did not use the break-glass path: there is nothing to review`);
  if (request.requesterId === actor.id)
    throw new AppError("FORBIDDEN", "The requester of a break-glass change cannot review it");
  if (request.status === "DRAFT" || request.status === "PENDING_APPROVAL")
    throw new AppError("CONFLICT", `CR-${request.number} has not been approved yet: review it after it ran`);
  await prisma.$transaction(async (tx) => {
    const updated = await tx.changeRequest.updateMany({
      where: { id: request.id, reviewRequired: true, reviewedAt: null },
      data: { reviewedAt: options.now, reviewedById: actor.id, reviewNote: input.note, version: { increment: 1 } },
    });
    if (updated.count !== 1) throw new AppError("CONFLICT", `CR-${request.number} has already been reviewed`);
    await recordChangeEvent(
      tx,
      {
        actor: { id: actor.id, email: actor.email, name: actor.name },
        action: "changeRequest.reviewed",
        request: { id: request.id, number: request.number, title: request.title, kind: request.kind, riskLevel: request.riskLevel },
        after: { note: input.note },
      },
      options.now,
    );
  });
  return { number: request.number, reviewedAt: options.now };
}
