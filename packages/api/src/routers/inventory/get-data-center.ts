import { getDataCenter as getDataCenterService } from "../../services/inventory";
import { permissionProcedure } from "../../trpc";
import { ZGetDataCenterRequestSchema } from "./get-data-center.schema";

export const getDataCenter = permissionProcedure("inventory.read")
  .input(ZGetDataCenterRequestSchema)
  .query(({ ctx, input }) => getDataCenterService(ctx.prisma, input.code));
