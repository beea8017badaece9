import { permissionsOf } from "@meridian/policy";
import { permissionProcedure } from "../../trpc";

export const getMe = permissionProcedure("me.read").query(({ ctx }) => ({
  ...ctx.user,
  permissions: permissionsOf(ctx.user.roles),
}));
