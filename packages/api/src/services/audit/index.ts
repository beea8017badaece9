export { appendAuditEvent, auditActorOf, SYSTEM_ACTOR, toJson, type TAuditActor, type TAuditEntry, type TDb } from "./append-audit-event";
export {
  auditCsvRow,
  auditFilterOptions,
  auditNdjsonRow,
  auditWhere,
  csvField,
  exportAuditEvents,
  listAuditEvents,
  streamAuditEvents,
  AUDIT_CSV_COLUMNS,
  type TAuditEventView,
  type TAuditPage,
} from "./list-audit-events";
export { verifyAuditChain, GENESIS_HASH, type TBrokenLink, type TChainVerification } from "./verify-audit-chain";
