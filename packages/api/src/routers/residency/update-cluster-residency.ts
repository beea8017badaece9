import { updateClusterResidency as updateService } from "../../services/residency";
import { auditActorOf } from "../../services/audit/append-audit-event";
import { permissionProcedure } from "../../trpc";
import { ZUpdateClusterResidencyRequestSchema } from "./cluster-residency.schema";

export const updateClusterResidency = permissionProcedure("cluster.manageResidency")
  .input(ZUpdateClusterResidencyRequestSchema)
  .mutation(({ ctx, input }) => updateService(ctx.prisma, input, auditActorOf(ctx.user)));
