import { getCluster as getClusterService } from "../../services/inventory";
import { permissionProcedure } from "../../trpc";
import { ZGetClusterRequestSchema } from "./get-cluster.schema";

export const getCluster = permissionProcedure("inventory.read")
  .input(ZGetClusterRequestSchema)
  .query(({ ctx, input }) => getClusterService(ctx.prisma, input.ref));
