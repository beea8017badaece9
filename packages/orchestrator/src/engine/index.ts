/**
 * The durable execution engine (server-side only: imports pg). See ../../README.md.
 */
export {
  EXECUTION_STATUSES,
  STEP_STATUSES,
  EXECUTION_TRANSITIONS,
  STEP_TRANSITIONS,
  canExecutionMove,
  canStepMove,
  decideNext,
  isClaimableExecution,
  isOpenExecution,
  isTerminalExecution,
  progressOf,
  type TExecutionStatus,
  type TNextMove,
  type TStepStatus,
  type TStepView,
} from "./execution-state";
export {
  MAX_BACKOFF_MS,
  INTERRUPTED_ATTEMPT_ALLOWANCE,
  backoffDelayMs,
  compensationPolicy,
  decideAfterFailure,
  mayStartAttempt,
  runPolicy,
  type TAfterFailure,
} from "./retry-policy";
export {
  CancelledError,
  EngineError,
  InfrastructureError,
  LeaseLostError,
  StepTimeoutError,
  isInfrastructureError,
  type TEngineErrorCode,
} from "./errors";
export {
  EXECUTION_CHANNEL,
  cancelExecution,
  claimNextExecution,
  enqueueExecution,
  enqueueExecutionIn,
  getExecution,
  listRequestExecutions,
  pauseExecution,
  refuseStaleExecutions,
  resolveStepManually,
  resumeExecution,
  retryFailedStep,
  type TActor,
  type TClaimedExecution,
  type TEnqueueResult,
  type TExecutionStepView,
  type TExecutionView,
  type TOperatorResult,
  type TPoolLike,
  type TQueryable,
} from "./execution-store";
export { RELEASE_WAIT_MS, sideEffectId, type TEngineEvent } from "./executor";
export { ENGINE_CHANGE_ACTIONS, ENGINE_ACTOR_NAME } from "./change-events";
export { defaultWorkerId, startWorker, type TWorker, type TWorkerOptions } from "./worker";
export { getEnginePool } from "./engine-pool";
export { sqlLiteral, inlineParams } from "./sql-text";
