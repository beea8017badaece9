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
 * - link-actions.ts: createLink, dropLink, checkLink, waitForCatchUp, verifyLink, and
 *   registerInstance (the inventory's, plus the write fence: a REPLICA is fenced, an empty
 *   STANDBY is open)
 * - switchover-actions.ts: fenceWrites, unfenceWrites, promoteReplica, demoteToReplica, repointLink
 * - schema-actions.ts: applySchemaChange, verifySchema
 */
export interface TPostgresDriverDeps {
  access: TPostgresAccess;
}

/** What an action group is built with: the access, and the inventory-only actions (an action may wrap one). */
export interface TPostgresGroupDeps extends TPostgresDriverDeps {
  inventory: Readonly<Record<string, TDriverAction>>;
}

export type TPostgresActionGroup = (deps: TPostgresGroupDeps) => Record<string, TDriverAction>;

export interface TPostgresDriverOptions extends TPostgresDriverDeps {
  /** Actions taken over unchanged from the simulated driver (inventory-only steps). */
  inventoryActions: Readonly<Record<string, TDriverAction>>;
  groups: TPostgresActionGroup[];
}

export function createPostgresDriver(options: TPostgresDriverOptions): TStepDriver {
  const actions: Record<string, TDriverAction> = { ...options.inventoryActions };
  for (const group of options.groups) Object.assign(actions, group({ access: options.access, inventory: options.inventoryActions }));
  return { name: "postgres", actions, prepare: (sql) => assertFleetSchema(sql) };
}
