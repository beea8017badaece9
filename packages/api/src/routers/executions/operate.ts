import { operateExecution } from "../../services/executions";
import { permissionProcedure } from "../../trpc";
import { ZCancelExecutionRequestSchema, ZOperateExecutionRequestSchema, ZRetryStepRequestSchema } from "./executions.schema";

/** Pause: no new step starts (the running one finishes). QUEUED or RUNNING only. */
export const pauseExecution = permissionProcedure("execution.operate")
  .input(ZOperateExecutionRequestSchema)
  .mutation(({ ctx, input }) => operateExecution(ctx.prisma, ctx.user, "pause", input));

/** Resume a paused execution. */
export const resumeExecution = permissionProcedure("execution.operate")
  .input(ZOperateExecutionRequestSchema)
  .mutation(({ ctx, input }) => operateExecution(ctx.prisma, ctx.user, "resume", input));

/** Cancel: before the first step, CANCELLED; once started, the completed steps are rolled back. */
export const cancelExecution = permissionProcedure("execution.operate")
  .input(ZCancelExecutionRequestSchema)
  .mutation(({ ctx, input }) => operateExecution(ctx.prisma, ctx.user, "cancel", input));

/** Run a failed step (or a failed compensation) again. */
export const retryExecutionStep = permissionProcedure("execution.operate")
  .input(ZRetryStepRequestSchema)
  .mutation(({ ctx, input }) => operateExecution(ctx.prisma, ctx.user, "retryStep", input));
