import { getFleetHealth } from "../../services/dashboards";
import { permissionProcedure } from "../../trpc";
import { ZGetFleetHealthRequestSchema } from "./fleet-health.schema";

export const fleetHealth = permissionProcedure("dashboard.read")
  .input(ZGetFleetHealthRequestSchema)
  .query(({ ctx, input }) => getFleetHealth(ctx.prisma, input));
