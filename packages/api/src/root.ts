import { createCallerFactory, createTRPCRouter } from "./trpc";
import { meRouter } from "./routers/me";
import { inventoryRouter } from "./routers/inventory";
import { changesRouter } from "./routers/changes";
import { approvalsRouter } from "./routers/approvals";
import { auditRouter } from "./routers/audit";
import { policiesRouter } from "./routers/policies";
import { schedulesRouter } from "./routers/schedules";
import { topologyRouter } from "./routers/topology";
import { executionsRouter } from "./routers/executions";
import { linksRouter } from "./routers/links";
import { dashboardsRouter } from "./routers/dashboards";
import { residencyRouter } from "./routers/residency";
import { usersRouter } from "./routers/users";
import { instancesRegistryRouter } from "./routers/instances-registry";
import { tokensRouter } from "./routers/tokens";
import { v1Router } from "./routers/v1";

/** Every domain router, merged. One folder per domain under routers/. */
export const appRouter = createTRPCRouter({
  me: meRouter,
  inventory: inventoryRouter,
  changes: changesRouter,
  approvals: approvalsRouter,
  audit: auditRouter,
  policies: policiesRouter,
  schedules: schedulesRouter,
  topology: topologyRouter,
  executions: executionsRouter,
  links: linksRouter,
  dashboards: dashboardsRouter,
  residency: residencyRouter,
  users: usersRouter,
  instancesRegistry: instancesRegistryRouter,
  tokens: tokensRouter,
  v1: v1Router,
});

export type AppRouter = typeof appRouter;

export const createCaller = createCallerFactory(appRouter);
