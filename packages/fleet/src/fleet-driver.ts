import { type TStepDriver } from "./driver";
import { parseCredentialKey } from "./credentials";
import { createPostgresDriver } from "./postgres/postgres-driver";
import { linkActions } from "./postgres/link-actions";
import { schemaActions } from "./postgres/schema-actions";
import { switchoverActions } from "./postgres/switchover-actions";
import { type TPostgresAccess } from "./postgres/connect";
import { createRoutingDriver } from "./routing-driver";
import { createSimulatedDriver, type TSimulatedDriverOptions } from "./simulated/simulated-driver";

/**
 * Actions that only touch the inventory (rows of the metadata database), carried out the same
 * way for real servers as for simulated ones: the postgres driver takes them from the simulated
 * driver. Real servers are never provisioned or destroyed by a plan.
 */
export const INVENTORY_ONLY_ACTIONS = [
  "registerInstance",
  "unregisterInstance",
  "checkCapacity",
  "checkInstance",
  "checkReplicaReady",
  "setDataCenterStatus",
  "verifyDataCenterEmpty",
  "manualIntervention",
] as const;

export interface TFleetDriverOptions {
  /** Base64 AES-256-GCM key of the managed databases' credentials (`credentialKeyText` from @meridian/db/credential-key). */
  credentialKey: string | Buffer;
  simulated?: TSimulatedDriverOptions;
  /** Connect timeout etc. of the postgres driver. */
  access?: Omit<TPostgresAccess, "credentialKey">;
}

/**
 * The driver a worker runs: one engine, simulated and postgres instances side by side. Each
 * step goes to the driver of the instances it names (routing-driver.ts).
 */
export function createFleetDriver(options: TFleetDriverOptions): TStepDriver {
  const simulated = createSimulatedDriver(options.simulated ?? {});
  const credentialKey = typeof options.credentialKey === "string" ? parseCredentialKey(options.credentialKey) : options.credentialKey;
  const inventoryActions = Object.fromEntries(
    INVENTORY_ONLY_ACTIONS.filter((name) => simulated.actions[name]).map((name) => [name, simulated.actions[name]!]),
  );
  const postgres = createPostgresDriver({
    access: { ...options.access, credentialKey },
    inventoryActions,
    groups: [linkActions, switchoverActions, schemaActions],
  });
  return createRoutingDriver({ SIMULATED: simulated, POSTGRES: postgres });
}
