import { auditActorOf, verifyAuditChain as verifyService } from "../../services/audit";
import { permissionProcedure } from "../../trpc";

/** Re-computes the hash chain; reports the first broken link. The verification is itself audited. */
export const verifyAuditChain = permissionProcedure("audit.verify").mutation(({ ctx }) =>
  verifyService(ctx.prisma, auditActorOf(ctx.user), { now: new Date() }),
);
