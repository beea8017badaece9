import { getInstance as getInstanceService } from "../../services/inventory";
import { permissionProcedure } from "../../trpc";
import { ZGetInstanceRequestSchema } from "./get-instance.schema";

export const getInstance = permissionProcedure("inventory.read")
  .input(ZGetInstanceRequestSchema)
  .query(({ ctx, input }) => getInstanceService(ctx.prisma, input.ref));
