import { deleteApprovalPolicy as deleteService } from "../../services/policies";
import { permissionProcedure } from "../../trpc";
import { ZDeleteApprovalPolicyRequestSchema } from "./policy.schema";

export const deleteApprovalPolicy = permissionProcedure("approvalPolicy.manage")
  .input(ZDeleteApprovalPolicyRequestSchema)
  .mutation(({ ctx, input }) => deleteService(ctx.prisma, ctx.user, input));
