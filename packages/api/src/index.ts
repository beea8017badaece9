export { appRouter, createCaller, type AppRouter } from "./root";
export { createContext, type TContext, type TSessionUser } from "./context";
export { AppError } from "./errors";
export type { TMeta } from "./trpc";
export * as inventorySchemas from "./routers/inventory/schemas";
export type * from "./services/inventory";
export * as changeSchemas from "./routers/changes/schemas";
export * as auditSchemas from "./routers/audit/list-audit-events.schema";
export { exportAuditEvents, appendAuditEvent, auditActorOf, type TAuditActor } from "./services/audit";
export {
  deliverDueWebhooks,
  startWebhookDeliverer,
  webhookSettingsFromEnv,
  verifyWebhookSignature,
  type TWebhookDeliverer,
} from "./services/webhooks";
export type * from "./services/changes";
export type * from "./services/approvals";
export type * from "./services/policies";
export type * from "./services/schedules";
export type * from "./services/dashboards";
export { startDashboardJobs, kickResidencySweep, residencySweepOnExecutionFinished, sweepResidency, rollUpSamples } from "./services/dashboards";
export * as dashboardSchemas from "./routers/dashboards/dashboard.schema";
export type { TAuditEventView, TAuditPage, TChainVerification, TBrokenLink } from "./services/audit";
export * from "./services/auth";
export { changeOwnPassword, setUserDisabled, setUserRoles, type TUserAccessView } from "./services/users";
export { ZChangeOwnPasswordRequestSchema } from "./routers/users/users.schema";
