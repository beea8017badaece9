import { listDataCenters as listDataCentersService } from "../../services/inventory";
import { permissionProcedure } from "../../trpc";
import { ZListDataCentersRequestSchema } from "./list-data-centers.schema";

export const listDataCenters = permissionProcedure("inventory.read")
  .input(ZListDataCentersRequestSchema)
  .query(({ ctx, input }) => listDataCentersService(ctx.prisma, input));
