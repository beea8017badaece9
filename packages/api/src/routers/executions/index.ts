import { createTRPCRouter } from "../../trpc";
import { executionsForRequest } from "./for-request";
import { cancelExecution, pauseExecution, resumeExecution, retryExecutionStep } from "./operate";

/** Executions of approved change requests: read by everyone, operated by DBAs and administrators. */
export const executionsRouter = createTRPCRouter({
  forRequest: executionsForRequest,
  pause: pauseExecution,
  resume: resumeExecution,
  cancel: cancelExecution,
  retryStep: retryExecutionStep,
});
