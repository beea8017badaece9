import { createChangeRequest as createService } from "../../services/changes";
import { permissionProcedure } from "../../trpc";
import { ZCreateChangeRequestRequestSchema } from "./create-change-request.schema";

export const createChangeRequest = permissionProcedure("changeRequest.create")
  .input(ZCreateChangeRequestRequestSchema)
  .mutation(({ ctx, input }) => createService(ctx.prisma, ctx.user, input, { now: new Date() }));
