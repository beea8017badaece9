import { createApprovalPolicy as createService } from "../../services/policies";
import { permissionProcedure } from "../../trpc";
import { ZCreateApprovalPolicyRequestSchema } from "./policy.schema";

export const createApprovalPolicy = permissionProcedure("approvalPolicy.manage")
  .input(ZCreateApprovalPolicyRequestSchema)
  .mutation(({ ctx, input }) => createService(ctx.prisma, ctx.user, input));
