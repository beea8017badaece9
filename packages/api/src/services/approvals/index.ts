export { decideChangeRequest, type TDecisionResult } from "./decide-change-request";
export { approvalInbox, approvalInboxCount, type TApprovalInbox, type TInboxItem } from "./approval-inbox";
export { stagesOf } from "./approval-state";
