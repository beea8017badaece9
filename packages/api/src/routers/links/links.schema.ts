import { z } from "zod";
import { strict } from "../changes/common.schema";

const ZLinkIdSchema = z.guid({ error: (issue) => (issue.input === undefined ? "Link is required" : "Link must be an id (uuid)") });

export const ZGetLinkRequestSchema = z.strictObject({ linkId: ZLinkIdSchema }, strict);
export type TGetLinkRequest = z.output<typeof ZGetLinkRequestSchema>;

export const ZPauseLinkRequestSchema = z.strictObject(
  {
    linkId: ZLinkIdSchema,
    /** Why (in the audit event). */
    reason: z.string({ error: "Reason must be text" }).trim().max(2000, "Reason is at most 2000 characters").optional(),
  },
  strict,
);
export type TPauseLinkRequest = z.output<typeof ZPauseLinkRequestSchema>;

export const ZResumeLinkRequestSchema = ZPauseLinkRequestSchema;
export type TResumeLinkRequest = z.output<typeof ZResumeLinkRequestSchema>;

export const ZVerifyLinkRequestSchema = z.strictObject({ linkId: ZLinkIdSchema }, strict);
export type TVerifyLinkRequest = z.output<typeof ZVerifyLinkRequestSchema>;
