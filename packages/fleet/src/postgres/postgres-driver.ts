import { type TDriverAction, type TStepDriver } from "../driver";
import { assertFleetSchema } from "../ledger";
import { type TPostgresAccess } from "./connect";

/**
 * The postgres driver: carries out plan actions on real PostgreSQL servers through SQL only
 * (logical replication: publications, subscriptions, replication slots, roles). Inventory-only
 * actions (register, capacity checks, data-center status) are the simulated driver's, which
 * acts on the metadata rows in the step's transaction.
 *
 * Action groups, one module each (each a factory taking the shared deps):
 * - link-actions.ts: createLink, dropLink, checkLink, waitForCatchUp, verifyLink, replica steps
 * - switchover-actions.ts: fenceWrites, unfenceWrites, promoteReplica, demoteToReplica, repointLink
 * - schema-actions.ts: applySchemaChange, verifySchema
 */
export interface TPostgresDriverDeps {
  access: TPostgresAccess;
}

export type TPostgresActionGroup = (deps: TPostgresDriverDeps) => Record<string, TDriverAction>;

export interface TPostgresDriverOptions extends TPostgresDriverDeps {
  /** Actions taken over unchanged from the simulated driver (inventory-only steps). */
  inventoryActions: Readonly<Record<string, TDriverAction>>;
  groups: TPostgresActionGroup[];
}

export function createPostgresDriver(options: TPostgresDriverOptions): TStepDriver {
  const actions: Record<string, TDriverAction> = { ...options.inventoryActions };
  for (const group of options.groups) Object.assign(actions, group({ access: options.access }));
  return { name: "postgres", actions, prepare: (sql) => assertFleetSchema(sql) };
}
