export {
  createApprovalPolicy,
  deleteApprovalPolicy,
  listApprovalPolicies,
  updateApprovalPolicy,
  type TApprovalPolicyView,
} from "./approval-policies";
