import { cancelChangeRequest as cancelService } from "../../services/changes";
import { permissionProcedure } from "../../trpc";
import { ZCancelChangeRequestRequestSchema } from "./cancel-change-request.schema";

export const cancelChangeRequest = permissionProcedure("changeRequest.cancel")
  .input(ZCancelChangeRequestRequestSchema)
  .mutation(({ ctx, input }) => cancelService(ctx.prisma, ctx.user, input, { now: new Date() }));
