import { getMapOverview } from "../../services/topology";
import { permissionProcedure } from "../../trpc";
import { ZGetMapOverviewRequestSchema } from "./map-overview.schema";

export const mapOverview = permissionProcedure("topology.read")
  .input(ZGetMapOverviewRequestSchema)
  .query(({ ctx, input }) => getMapOverview(ctx.prisma, input));
