import { listApprovalPolicies as listService } from "../../services/policies";
import { permissionProcedure } from "../../trpc";

export const listApprovalPolicies = permissionProcedure("approvalPolicy.read").query(({ ctx }) => listService(ctx.prisma));
