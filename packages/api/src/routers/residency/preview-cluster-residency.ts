import { previewClusterResidency as previewService } from "../../services/residency";
import { permissionProcedure } from "../../trpc";
import { ZPreviewClusterResidencyRequestSchema } from "./cluster-residency.schema";

export const previewClusterResidency = permissionProcedure("cluster.manageResidency")
  .input(ZPreviewClusterResidencyRequestSchema)
  .query(({ ctx, input }) => previewService(ctx.prisma, input));
