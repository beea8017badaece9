export { requestExecutions, toExecutionItem } from "./request-executions";
export type {
  TExecutionControls,
  TExecutionItem,
  TExecutionStatus,
  TExecutionStepItem,
  TRequestExecutions,
  TStepStatus,
} from "./request-executions";
export { operateExecution, type TExecutionOperation, type TOperateExecutionInput, type TOperateExecutionResult } from "./operate-execution";
export { engineDb } from "./engine-db";
export { enqueueApprovedRequest } from "./enqueue-approved";
