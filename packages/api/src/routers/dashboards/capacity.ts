import { getCapacity } from "../../services/dashboards";
import { permissionProcedure } from "../../trpc";
import { ZGetCapacityRequestSchema } from "./capacity.schema";

export const capacity = permissionProcedure("dashboard.read")
  .input(ZGetCapacityRequestSchema)
  .query(({ ctx, input }) => getCapacity(ctx.prisma, input));
