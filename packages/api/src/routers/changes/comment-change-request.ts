import { commentOnChangeRequest } from "../../services/changes";
import { permissionProcedure } from "../../trpc";
import { ZCommentChangeRequestRequestSchema } from "./comment-change-request.schema";

export const commentChangeRequest = permissionProcedure("changeRequest.comment")
  .input(ZCommentChangeRequestRequestSchema)
  .mutation(({ ctx, input }) => commentOnChangeRequest(ctx.prisma, ctx.user, input, { now: new Date() }));
