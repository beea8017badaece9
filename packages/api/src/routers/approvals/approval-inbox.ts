import { approvalInbox as inboxService, approvalInboxCount } from "../../services/approvals";
import { permissionProcedure } from "../../trpc";

/** What the signed-in user can act on now; empty lists for a read-only viewer. */
export const approvalInbox = permissionProcedure("changeRequest.read").query(({ ctx }) => inboxService(ctx.prisma, ctx.user));

/** The navigation badge. */
export const approvalInboxCountProcedure = permissionProcedure("changeRequest.read").query(({ ctx }) =>
  approvalInboxCount(ctx.prisma, ctx.user),
);
