import { permissionProcedure } from "../../trpc";
import { tokenFormOptions as optionsService } from "../../services/tokens/token-form-options";

/** Teams the caller may create tokens for, with their clusters (for the restriction picker). */
export const tokenFormOptions = permissionProcedure("apiToken.read").query(({ ctx }) => optionsService(ctx.prisma, ctx.user));
