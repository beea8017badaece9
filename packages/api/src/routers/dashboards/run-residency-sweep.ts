import { sweepResidency } from "../../services/dashboards";
import { permissionProcedure } from "../../trpc";

/** Runs the residency sweep now (it also runs every minute and after relevant writes). */
export const runResidencySweep = permissionProcedure("residency.sweep").mutation(({ ctx }) => sweepResidency(ctx.prisma));
