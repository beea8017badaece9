import { getFleetGraph } from "../../services/topology";
import { permissionProcedure } from "../../trpc";
import { ZGetFleetGraphRequestSchema } from "./fleet-graph.schema";

export const fleetGraph = permissionProcedure("topology.read")
  .input(ZGetFleetGraphRequestSchema)
  .query(({ ctx, input }) => getFleetGraph(ctx.prisma, input));
