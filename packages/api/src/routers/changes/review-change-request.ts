import { reviewChangeRequest as reviewService } from "../../services/changes";
import { permissionProcedure } from "../../trpc";
import { ZReviewChangeRequestRequestSchema } from "./review-change-request.schema";

export const reviewChangeRequest = permissionProcedure("changeRequest.review")
  .input(ZReviewChangeRequestRequestSchema)
  .mutation(({ ctx, input }) => reviewService(ctx.prisma, ctx.user, input, { now: new Date() }));
