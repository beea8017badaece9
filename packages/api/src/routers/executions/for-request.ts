import { requestExecutions } from "../../services/executions";
import { permissionProcedure } from "../../trpc";
import { ZExecutionsForRequestRequestSchema } from "./executions.schema";

/** The execution of CR-n (latest attempt with its steps, earlier attempts), and what the caller may do. */
export const executionsForRequest = permissionProcedure("execution.read")
  .input(ZExecutionsForRequestRequestSchema)
  .query(({ ctx, input }) => requestExecutions(ctx.prisma, ctx.user.roles, input.number));
