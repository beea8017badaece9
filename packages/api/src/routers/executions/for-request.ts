import { requestExecutions } from "../../services/executions";
import { permissionProcedure } from "../../trpc";
import { ZExecutionsForRequestRequestSchema } from "./executions.schema";

/** The execution of CR-n (latest attempt with its steps, earlier attempts), and what the caller may do. */
export const executionsForRequest = permissionProcedure("execution.read")
  .input(ZExecutionsForRequestRequestSchema)
  // One snapshot (REPEATABLE READ): the request's status and its execution's status are read
  // together, so the page never shows an execution that has finished under a request that has not.
  .query(({ ctx, input }) =>
    ctx.prisma.$transaction((tx) => requestExecutions(tx, ctx.user.roles, input.number), {
      isolationLevel: "RepeatableRead",
    }),
  );
