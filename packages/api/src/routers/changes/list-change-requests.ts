import { listChangeRequests as listService } from "../../services/changes";
import { permissionProcedure } from "../../trpc";
import { ZListChangeRequestsRequestSchema } from "./list-change-requests.schema";

export const listChangeRequests = permissionProcedure("changeRequest.read")
  .input(ZListChangeRequestsRequestSchema)
  .query(({ ctx, input }) => listService(ctx.prisma, ctx.user, input));
