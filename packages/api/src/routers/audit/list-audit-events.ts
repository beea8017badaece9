import { listAuditEvents as listService } from "../../services/audit";
import { permissionProcedure } from "../../trpc";
import { ZListAuditEventsRequestSchema } from "./list-audit-events.schema";

export const listAuditEvents = permissionProcedure("audit.read")
  .input(ZListAuditEventsRequestSchema)
  .query(({ ctx, input }) => listService(ctx.prisma, input));
