import { type PrismaClient } from "@meridian/db";
import { type TCommentChangeRequestRequest } from "../../routers/changes/comment-change-request.schema";
import { type TActor } from "./actor";
import { findRequestByNumber } from "./load-request";

export interface TChangeComment {
  id: string;
  body: string;
  createdAt: Date;
  author: { id: string; name: string; email: string };
}

export async function commentOnChangeRequest(
  prisma: PrismaClient,
  actor: TActor,
  input: TCommentChangeRequestRequest,
  options: { now: Date },
): Promise<TChangeComment> {
  const request = await findRequestByNumber(prisma, input.number);
  const comment = await prisma.changeComment.create({
    data: { requestId: request.id, authorId: actor.id, body: input.body, createdAt: options.now },
    select: { id: true, body: true, createdAt: true, author: { select: { id: true, name: true, email: true } } },
  });
  return comment;
}
