import { listInstances as listInstancesService } from "../../services/inventory";
import { permissionProcedure } from "../../trpc";
import { ZListInstancesRequestSchema } from "./list-instances.schema";

export const listInstances = permissionProcedure("inventory.read")
  .input(ZListInstancesRequestSchema)
  .query(({ ctx, input }) => listInstancesService(ctx.prisma, input));
