import { getClusterGraph } from "../../services/topology";
import { permissionProcedure } from "../../trpc";
import { ZGetClusterGraphRequestSchema } from "./cluster-graph.schema";

export const clusterGraph = permissionProcedure("topology.read")
  .input(ZGetClusterGraphRequestSchema)
  .query(({ ctx, input }) => getClusterGraph(ctx.prisma, input));
