import { getDataCenterPanel } from "../../services/topology";
import { permissionProcedure } from "../../trpc";
import { ZGetDataCenterPanelRequestSchema } from "./data-center-panel.schema";

export const dataCenterPanel = permissionProcedure("topology.read")
  .input(ZGetDataCenterPanelRequestSchema)
  .query(({ ctx, input }) => getDataCenterPanel(ctx.prisma, input));
