import { type PrismaClient } from "@meridian/db";
import { type TCommentChangeRequestRequest } from "../../routers/changes/comment-change-request.schema";
import { appendAuditEvent } from "../audit/append-audit-event";
import { type TActor } from "./actor";
import { findRequestByNumber } from "./load-request";

export interface TChangeComment {
  id: string;
  body: string;
  createdAt: Date;
  author: { id: string; name: string; email: string };
}

/**
 * Adds a comment to CR-n. The comment and its audit event (`changeRequest.commented`, with the
 * text as written) commit together: what people said on a request is part of its record.
 */
export async function commentOnChangeRequest(
  prisma: PrismaClient,
  actor: TActor,
  input: TCommentChangeRequestRequest,
  options: { now: Date },
): Promise<TChangeComment> {
  const request = await findRequestByNumber(prisma, input.number);
  return prisma.$transaction(async (tx) => {
    const comment = await tx.changeComment.create({
      data: { requestId: request.id, authorId: actor.id, body: input.body, createdAt: options.now },
      select: { id: true, body: true, createdAt: true, author: { select: { id: true, name: true, email: true } } },
    });
    await appendAuditEvent(tx, {
      actor: { id: actor.id, email: actor.email },
      action: "changeRequest.commented",
      targetType: "changeRequest",
      targetId: request.id,
      after: { number: request.number, commentId: comment.id, body: comment.body },
    });
    return comment;
  });
}
