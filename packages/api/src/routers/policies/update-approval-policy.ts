import { updateApprovalPolicy as updateService } from "../../services/policies";
import { permissionProcedure } from "../../trpc";
import { ZUpdateApprovalPolicyRequestSchema } from "./policy.schema";

export const updateApprovalPolicy = permissionProcedure("approvalPolicy.manage")
  .input(ZUpdateApprovalPolicyRequestSchema)
  .mutation(({ ctx, input }) => updateService(ctx.prisma, ctx.user, input));
