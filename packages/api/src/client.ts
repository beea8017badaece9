// Types only: the browser bundle imports nothing of the server through this entry.
export type { AppRouter } from "./root";
// Output shapes of the inventory procedures (types only).
export type * from "./services/inventory";
export type * from "./routers/inventory/inventory.schema";
// Output shapes of the change, approval, audit, policy and schedule procedures (types only).
export type * from "./services/changes";
export type * from "./services/approvals";
export type * from "./services/policies";
export type * from "./services/schedules";
export type { TAuditEventView, TAuditPage, TChainVerification, TBrokenLink } from "./services/audit";
// Output shapes of the execution procedures (types only).
export type * from "./services/executions";
// Output shapes of the dashboard procedures (types only).
export type * from "./services/dashboards";
