import { changeFormOptions as formOptionsService } from "../../services/changes";
import { permissionProcedure } from "../../trpc";
import { ZChangeFormOptionsRequestSchema } from "./change-form-options.schema";

export const changeFormOptions = permissionProcedure("changeRequest.create")
  .input(ZChangeFormOptionsRequestSchema)
  .query(({ ctx, input }) => formOptionsService(ctx.prisma, ctx.user, input, { now: new Date() }));
