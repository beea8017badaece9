import { type z } from "zod";
import { ZDashboardFilterSchema } from "./dashboard.schema";

export const ZGetFleetHealthRequestSchema = ZDashboardFilterSchema;

export type TGetFleetHealthRequest = z.infer<typeof ZGetFleetHealthRequestSchema>;
