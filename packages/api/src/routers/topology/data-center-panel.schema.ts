import { z } from "zod";
import { ZCodeSchema } from "../inventory/inventory.schema";
import { fleetFilterShape } from "./topology.schema";

/** Clusters per page of the panel's cluster list. */
export const DATA_CENTER_PANEL_PAGE_SIZE = 50;

/**
 * The map's side panel for one data center; the map's filters narrow its clusters and links.
 * The cluster list comes a page at a time: `cursor` is the `nextCursor` of the page before
 * (absent for the first), `q` filters it by cluster, team or instance name.
 */
export const ZGetDataCenterPanelRequestSchema = z
  .object({
    /** Data center code, e.g. "fra1". Case-insensitive. */
    code: ZCodeSchema,
    ...fleetFilterShape,
    q: z.string().trim().max(100).optional(),
    limit: z.number().int().min(1).max(200).default(DATA_CENTER_PANEL_PAGE_SIZE),
    cursor: z.number().int().min(0).nullish(),
    /** Sent by tRPC's infinite queries with every page; pages only go forward. */
    direction: z.enum(["forward", "backward"]).optional(),
  })
  .strict();

export type TGetDataCenterPanelRequest = z.infer<typeof ZGetDataCenterPanelRequestSchema>;
