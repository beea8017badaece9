import { getResidencyPosture } from "../../services/dashboards";
import { permissionProcedure } from "../../trpc";
import { ZGetResidencyPostureRequestSchema } from "./residency-posture.schema";

export const residencyPosture = permissionProcedure("dashboard.read")
  .input(ZGetResidencyPostureRequestSchema)
  .query(({ ctx, input }) => getResidencyPosture(ctx.prisma, input));
