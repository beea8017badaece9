import { operateLink, verifyLinkNow } from "../../services/links";
import { permissionProcedure } from "../../trpc";
import { ZPauseLinkRequestSchema, ZResumeLinkRequestSchema, ZVerifyLinkRequestSchema } from "./links.schema";

/** Pause a link between real servers (its subscription stops applying; audited). */
export const pauseLink = permissionProcedure("link.operate")
  .input(ZPauseLinkRequestSchema)
  .mutation(({ ctx, input }) => operateLink(ctx.prisma, ctx.user, "pause", input));

/** Resume a paused link (CATCHING_UP until verified again; audited). */
export const resumeLink = permissionProcedure("link.operate")
  .input(ZResumeLinkRequestSchema)
  .mutation(({ ctx, input }) => operateLink(ctx.prisma, ctx.user, "resume", input));

/** Verify a link's data now: row count and checksum per table on both servers (stored on the link; audited). */
export const verifyLink = permissionProcedure("link.verify")
  .input(ZVerifyLinkRequestSchema)
  .mutation(({ ctx, input }) => verifyLinkNow(ctx.prisma, ctx.user, input));
