import { auditFilterOptions as optionsService } from "../../services/audit";
import { permissionProcedure } from "../../trpc";

export const auditFilterOptions = permissionProcedure("audit.read").query(({ ctx }) => optionsService(ctx.prisma));
