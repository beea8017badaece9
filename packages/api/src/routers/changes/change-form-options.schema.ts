import { z } from "zod";
import { ZChangeKindSchema } from "@meridian/policy";
import { strict } from "./common.schema";

/** Choices for the form of one kind: clusters one may file for, and for the chosen cluster its instances and links. */
export const ZChangeFormOptionsRequestSchema = z.strictObject(
  {
    kind: ZChangeKindSchema,
    clusterId: z.guid({ error: "Cluster must be an id (uuid)" }).optional(),
  },
  strict,
);
export type TChangeFormOptionsRequest = z.output<typeof ZChangeFormOptionsRequestSchema>;
