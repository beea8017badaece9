import { createTRPCRouter } from "../../trpc";
import { auditFilterOptions } from "./audit-filter-options";
import { listAuditEvents } from "./list-audit-events";
import { verifyAuditChain } from "./verify-audit-chain";

export const auditRouter = createTRPCRouter({
  list: listAuditEvents,
  filterOptions: auditFilterOptions,
  verify: verifyAuditChain,
});
