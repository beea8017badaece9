import { z } from "zod";

export const ZGetInstanceRequestSchema = z.object({
  /** The instance's name (unique) or its id (uuid). */
  ref: z.string().trim().min(1, "Give an instance name or id").max(128, "At most 128 characters"),
});

export type TGetInstanceRequest = z.infer<typeof ZGetInstanceRequestSchema>;
