import { deleteMaintenanceWindow as deleteService } from "../../services/schedules";
import { permissionProcedure } from "../../trpc";
import { ZDeleteMaintenanceWindowRequestSchema } from "./schedule.schema";

export const deleteMaintenanceWindow = permissionProcedure("schedule.manage")
  .input(ZDeleteMaintenanceWindowRequestSchema)
  .mutation(({ ctx, input }) => deleteService(ctx.prisma, ctx.user, input));
