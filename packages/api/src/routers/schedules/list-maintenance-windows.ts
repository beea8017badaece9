import { listMaintenanceWindows as listService } from "../../services/schedules";
import { permissionProcedure } from "../../trpc";
import { ZListMaintenanceWindowsRequestSchema } from "./schedule.schema";

export const listMaintenanceWindows = permissionProcedure("schedule.read")
  .input(ZListMaintenanceWindowsRequestSchema)
  .query(({ ctx, input }) => listService(ctx.prisma, input));
