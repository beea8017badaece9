import { type z } from "zod";
import { ZFleetFilterSchema } from "./topology.schema";

/** Data centers with their roll-ups and the replication routes between them, for the map. */
export const ZGetMapOverviewRequestSchema = ZFleetFilterSchema;

export type TGetMapOverviewRequest = z.infer<typeof ZGetMapOverviewRequestSchema>;
