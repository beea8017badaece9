import { updateDataCenterStatus as updateDataCenterStatusService } from "../../services/inventory";
import { auditActorOf } from "../../services/audit/append-audit-event";
import { permissionProcedure } from "../../trpc";
import { ZUpdateDataCenterStatusRequestSchema } from "./update-data-center-status.schema";

export const updateDataCenterStatus = permissionProcedure("dataCenter.updateStatus")
  .input(ZUpdateDataCenterStatusRequestSchema)
  .mutation(({ ctx, input }) => updateDataCenterStatusService(ctx.prisma, input, auditActorOf(ctx.user)));
