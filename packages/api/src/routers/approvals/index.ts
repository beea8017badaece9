import { createTRPCRouter } from "../../trpc";
import { approvalInbox, approvalInboxCountProcedure } from "./approval-inbox";
import { decideChangeRequest } from "./decide-change-request";

export const approvalsRouter = createTRPCRouter({
  inbox: approvalInbox,
  count: approvalInboxCountProcedure,
  decide: decideChangeRequest,
});
