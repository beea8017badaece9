import { permissionProcedure } from "../../trpc";
import { listApiTokens as listService } from "../../services/tokens";
import { ZListApiTokensRequestSchema } from "./api-token.schema";

export const listApiTokens = permissionProcedure("apiToken.read")
  .input(ZListApiTokensRequestSchema)
  .query(({ ctx, input }) => listService(ctx.prisma, ctx.user, input, { now: new Date() }));
