import { permissionProcedure } from "../../trpc";
import { createApiToken as createService } from "../../services/tokens";
import { ZCreateApiTokenRequestSchema } from "./api-token.schema";

export const createApiToken = permissionProcedure("apiToken.manage")
  .input(ZCreateApiTokenRequestSchema)
  .mutation(({ ctx, input }) => createService(ctx.prisma, ctx.user, input, { now: new Date() }));
