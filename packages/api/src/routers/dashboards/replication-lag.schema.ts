import { type z } from "zod";
import { ZDashboardFilterSchema } from "./dashboard.schema";

export const ZGetReplicationLagRequestSchema = ZDashboardFilterSchema;

export type TGetReplicationLagRequest = z.infer<typeof ZGetReplicationLagRequestSchema>;
