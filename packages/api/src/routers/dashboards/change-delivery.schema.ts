import { type z } from "zod";
import { ZDashboardFilterSchema } from "./dashboard.schema";

export const ZGetChangeDeliveryRequestSchema = ZDashboardFilterSchema;

export type TGetChangeDeliveryRequest = z.infer<typeof ZGetChangeDeliveryRequestSchema>;
