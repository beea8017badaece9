import { searchTopology } from "../../services/topology";
import { permissionProcedure } from "../../trpc";
import { ZSearchTopologyRequestSchema } from "./search.schema";

export const search = permissionProcedure("topology.read")
  .input(ZSearchTopologyRequestSchema)
  .query(({ ctx, input }) => searchTopology(ctx.prisma, input));
