import { setUserDisabled, setUserRoles } from "../../services/users";
import { createTRPCRouter, permissionProcedure } from "../../trpc";
import { ZSetUserDisabledRequestSchema, ZSetUserRolesRequestSchema } from "./users.schema";

/**
 * Account administration: roles, disabling (both revoke the user's open sessions). One's own
 * password is changed through POST /api/account/password (every role needs it, even read-only).
 */
export const usersRouter = createTRPCRouter({
  setRoles: permissionProcedure("user.manage")
    .input(ZSetUserRolesRequestSchema)
    .mutation(({ ctx, input }) => setUserRoles(ctx.prisma, ctx.user, input)),
  setDisabled: permissionProcedure("user.manage")
    .input(ZSetUserDisabledRequestSchema)
    .mutation(({ ctx, input }) => setUserDisabled(ctx.prisma, ctx.user, input)),
});
