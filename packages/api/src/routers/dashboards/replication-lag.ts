import { getReplicationLag } from "../../services/dashboards";
import { permissionProcedure } from "../../trpc";
import { ZGetReplicationLagRequestSchema } from "./replication-lag.schema";

export const replicationLag = permissionProcedure("dashboard.read")
  .input(ZGetReplicationLagRequestSchema)
  .query(({ ctx, input }) => getReplicationLag(ctx.prisma, input));
