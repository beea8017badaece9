import { listClusters as listClustersService } from "../../services/inventory";
import { permissionProcedure } from "../../trpc";
import { ZListClustersRequestSchema } from "./list-clusters.schema";

export const listClusters = permissionProcedure("inventory.read")
  .input(ZListClustersRequestSchema)
  .query(({ ctx, input }) => listClustersService(ctx.prisma, input));
