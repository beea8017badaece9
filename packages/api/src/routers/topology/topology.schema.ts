import { z } from "zod";
import { ZCodeSchema, ZDataClassificationSchema, ZEngineSchema } from "../inventory/inventory.schema";

/**
 * Filters shared by the map and the fleet graph. `region` and `jurisdiction` select data
 * centers by where they are; `team`, `classification` and `engine` select instances by their
 * cluster, and so the data centers where such instances run.
 */
export const fleetFilterShape = {
  /** Region code, e.g. "eu-west". */
  region: ZCodeSchema.optional(),
  /** Jurisdiction code, e.g. "EU". */
  jurisdiction: ZCodeSchema.optional(),
  /** Owning team's slug. */
  team: ZCodeSchema.optional(),
  classification: ZDataClassificationSchema.optional(),
  engine: ZEngineSchema.optional(),
};

export const ZFleetFilterSchema = z.object(fleetFilterShape).strict();

export type TFleetFilter = z.infer<typeof ZFleetFilterSchema>;

/** True when a filter narrows instances (not only places). */
export function filtersInstances(filter: TFleetFilter): boolean {
  return Boolean(filter.team || filter.classification || filter.engine);
}

export function isFiltered(filter: TFleetFilter): boolean {
  return Boolean(filter.region || filter.jurisdiction || filtersInstances(filter));
}
