import { type z } from "zod";
import { ZDashboardFilterSchema } from "./dashboard.schema";

export const ZGetResidencyPostureRequestSchema = ZDashboardFilterSchema;

export type TGetResidencyPostureRequest = z.infer<typeof ZGetResidencyPostureRequestSchema>;
