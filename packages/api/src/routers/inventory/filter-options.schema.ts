import { z } from "zod";

/** The filter options take no input; the schema says so explicitly. */
export const ZFilterOptionsRequestSchema = z.void();

export type TFilterOptionsRequest = z.infer<typeof ZFilterOptionsRequestSchema>;
