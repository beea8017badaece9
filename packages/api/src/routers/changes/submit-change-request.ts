import { submitChangeRequest as submitService } from "../../services/changes";
import { permissionProcedure } from "../../trpc";
import { ZSubmitChangeRequestRequestSchema } from "./submit-change-request.schema";

export const submitChangeRequest = permissionProcedure("changeRequest.create")
  .input(ZSubmitChangeRequestRequestSchema)
  .mutation(({ ctx, input }) => submitService(ctx.prisma, ctx.user, input, { now: new Date() }));
