import { type z } from "zod";
import { ZFleetFilterSchema } from "./topology.schema";

/** Data centers with their clusters inside, and the replication between data centers. */
export const ZGetFleetGraphRequestSchema = ZFleetFilterSchema;

export type TGetFleetGraphRequest = z.infer<typeof ZGetFleetGraphRequestSchema>;
