import { z } from "zod";

export const AUDIT_MAX_PAGE_SIZE = 200;

/** Filters of the audit page; the export route handler takes the same ones from the URL. */
export const auditFilterShape = {
  /** Actor: part of an email, or a user id. */
  actor: z.string().trim().max(320, "Actor is at most 320 characters").optional().transform((v) => v || undefined),
  /** Exact action (`changeRequest.approved`) or a prefix ending with a dot (`changeRequest.`). */
  action: z
    .string()
    .trim()
    .max(96, "Action is at most 96 characters")
    .regex(/^[A-Za-z0-9_.-]*$/, "Action uses letters, digits, dots, dashes and underscores")
    .optional()
    .transform((v) => v || undefined),
  targetType: z
    .string()
    .trim()
    .max(64, "Target type is at most 64 characters")
    .regex(/^[A-Za-z0-9_]*$/, "Target type uses letters, digits and underscores")
    .optional()
    .transform((v) => v || undefined),
  targetId: z.string().trim().max(200, "Target id is at most 200 characters").optional().transform((v) => v || undefined),
  from: z.coerce.date({ error: "From must be a date and time" }).optional(),
  to: z.coerce.date({ error: "To must be a date and time" }).optional(),
};

export const ZAuditFilterSchema = z
  .strictObject(auditFilterShape, { error: (i) => (i.code === "unrecognized_keys" ? `Unknown filter: ${i.keys.join(", ")}` : "Filters must be an object") })
  .refine((f) => !f.from || !f.to || f.from.getTime() <= f.to.getTime(), { path: ["to"], message: "To must be after From" });
/** Every filter optional (the services take a partial filter). */
export type TAuditFilter = Partial<z.output<typeof ZAuditFilterSchema>>;

export const ZListAuditEventsRequestSchema = z
  .strictObject(
    {
      ...auditFilterShape,
      page: z.number({ error: "Page must be a number" }).int("Page must be a whole number").min(1, "Page starts at 1").default(1),
      pageSize: z
        .number({ error: "Page size must be a number" })
        .int("Page size must be a whole number")
        .min(1, "Page size must be at least 1")
        .max(AUDIT_MAX_PAGE_SIZE, `Page size must be at most ${AUDIT_MAX_PAGE_SIZE}`)
        .default(50),
    },
    { error: (i) => (i.code === "unrecognized_keys" ? `Unknown field: ${i.keys.join(", ")}` : "The request must be an object") },
  )
  .refine((f) => !f.from || !f.to || f.from.getTime() <= f.to.getTime(), { path: ["to"], message: "To must be after From" });
export type TListAuditEventsRequest = TAuditFilter & Pick<z.output<typeof ZListAuditEventsRequestSchema>, "page" | "pageSize">;
export type TListAuditEventsRequestInput = z.input<typeof ZListAuditEventsRequestSchema>;
