import { z } from "zod";
import { ZCodeSchema } from "./inventory.schema";

export const ZGetDataCenterRequestSchema = z.object({
  /** Data center code, e.g. "fra1". Case-insensitive. */
  code: ZCodeSchema,
});

export type TGetDataCenterRequest = z.infer<typeof ZGetDataCenterRequestSchema>;
