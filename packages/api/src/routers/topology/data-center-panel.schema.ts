import { z } from "zod";
import { ZCodeSchema } from "../inventory/inventory.schema";
import { fleetFilterShape } from "./topology.schema";

/** The map's side panel for one data center; the map's filters narrow its clusters and links. */
export const ZGetDataCenterPanelRequestSchema = z
  .object({
    /** Data center code, e.g. "fra1". Case-insensitive. */
    code: ZCodeSchema,
    ...fleetFilterShape,
  })
  .strict();

export type TGetDataCenterPanelRequest = z.infer<typeof ZGetDataCenterPanelRequestSchema>;
