import { getChangeRequest as getService } from "../../services/changes";
import { permissionProcedure } from "../../trpc";
import { ZGetChangeRequestRequestSchema } from "./get-change-request.schema";

export const getChangeRequest = permissionProcedure("changeRequest.read")
  .input(ZGetChangeRequestRequestSchema)
  .query(({ ctx, input }) => getService(ctx.prisma, ctx.user, input.number));
