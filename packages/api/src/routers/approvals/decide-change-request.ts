import { decideChangeRequest as decideService } from "../../services/approvals";
import { permissionProcedure } from "../../trpc";
import { ZDecideChangeRequestRequestSchema } from "./decide-change-request.schema";

export const decideChangeRequest = permissionProcedure("changeRequest.approve")
  .input(ZDecideChangeRequestRequestSchema)
  .mutation(({ ctx, input }) => decideService(ctx.prisma, ctx.user, input, { now: new Date() }));
