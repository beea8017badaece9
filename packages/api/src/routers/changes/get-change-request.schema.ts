import { z } from "zod";
import { strict, ZRequestNumberSchema } from "./common.schema";

export const ZGetChangeRequestRequestSchema = z.strictObject({ number: ZRequestNumberSchema }, strict);
export type TGetChangeRequestRequest = z.output<typeof ZGetChangeRequestRequestSchema>;
