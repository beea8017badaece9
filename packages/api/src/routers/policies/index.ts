import { createTRPCRouter } from "../../trpc";
import { createApprovalPolicy } from "./create-approval-policy";
import { deleteApprovalPolicy } from "./delete-approval-policy";
import { listApprovalPolicies } from "./list-approval-policies";
import { updateApprovalPolicy } from "./update-approval-policy";

/** Approval policies: read by everyone, edited by administrators (every edit audited). */
export const policiesRouter = createTRPCRouter({
  list: listApprovalPolicies,
  create: createApprovalPolicy,
  update: updateApprovalPolicy,
  delete: deleteApprovalPolicy,
});
