import { updateChangeRequest as updateService } from "../../services/changes";
import { permissionProcedure } from "../../trpc";
import { ZUpdateChangeRequestRequestSchema } from "./update-change-request.schema";

export const updateChangeRequest = permissionProcedure("changeRequest.create")
  .input(ZUpdateChangeRequestRequestSchema)
  .mutation(({ ctx, input }) => updateService(ctx.prisma, ctx.user, input, { now: new Date() }));
