import { getLink as getLinkService } from "../../services/links";
import { permissionProcedure } from "../../trpc";
import { ZGetLinkRequestSchema } from "./links.schema";

/** A link with its sync state: status, lag, tables, paused, last verification per table. */
export const getLink = permissionProcedure("link.read")
  .input(ZGetLinkRequestSchema)
  .query(({ ctx, input }) => getLinkService(ctx.prisma, input.linkId));
