import { z } from "zod";
import { strict, ZExpectedVersionSchema, ZRequestNumberSchema } from "./common.schema";

export const ZSubmitChangeRequestRequestSchema = z.strictObject(
  { number: ZRequestNumberSchema, expectedVersion: ZExpectedVersionSchema },
  strict,
);
export type TSubmitChangeRequestRequest = z.output<typeof ZSubmitChangeRequestRequestSchema>;
