import { type z } from "zod";
import { ZDashboardFilterSchema } from "./dashboard.schema";

export const ZGetCapacityRequestSchema = ZDashboardFilterSchema;

export type TGetCapacityRequest = z.infer<typeof ZGetCapacityRequestSchema>;
