import { getChangeDelivery } from "../../services/dashboards";
import { permissionProcedure } from "../../trpc";
import { ZGetChangeDeliveryRequestSchema } from "./change-delivery.schema";

export const changeDelivery = permissionProcedure("dashboard.read")
  .input(ZGetChangeDeliveryRequestSchema)
  .query(({ ctx, input }) => getChangeDelivery(ctx.prisma, input));
