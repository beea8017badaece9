import { getFilterOptions } from "../../services/inventory";
import { permissionProcedure } from "../../trpc";
import { ZFilterOptionsRequestSchema } from "./filter-options.schema";

export const filterOptions = permissionProcedure("inventory.read")
  .input(ZFilterOptionsRequestSchema)
  .query(({ ctx }) => getFilterOptions(ctx.prisma));
