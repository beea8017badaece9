import { createMaintenanceWindow as createService } from "../../services/schedules";
import { permissionProcedure } from "../../trpc";
import { ZCreateMaintenanceWindowRequestSchema } from "./schedule.schema";

export const createMaintenanceWindow = permissionProcedure("schedule.manage")
  .input(ZCreateMaintenanceWindowRequestSchema)
  .mutation(({ ctx, input }) => createService(ctx.prisma, ctx.user, input, { now: new Date() }));
