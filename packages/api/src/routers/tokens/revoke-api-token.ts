import { permissionProcedure } from "../../trpc";
import { revokeApiToken as revokeService } from "../../services/tokens";
import { ZRevokeApiTokenRequestSchema } from "./api-token.schema";

export const revokeApiToken = permissionProcedure("apiToken.manage")
  .input(ZRevokeApiTokenRequestSchema)
  .mutation(({ ctx, input }) => revokeService(ctx.prisma, ctx.user, input, { now: new Date() }));
