import { z } from "zod";

/** Zod pieces shared by the change request procedures. */
export const strict = { error: (i: { code: string; keys?: string[] }) => (i.code === "unrecognized_keys" ? `Unknown field: ${(i.keys ?? []).join(", ")}` : "The request must be an object") };

/** The human number of a request: 123 for CR-123. */
export const ZRequestNumberSchema = z
  .number({ error: "Request number must be a number (123 for CR-123)" })
  .int("Request number must be a whole number")
  .min(1, "Request number starts at 1")
  .max(2_147_483_647, "Request number is too large");

/** The version the caller saw: the change applies only if nobody changed the request meanwhile. */
export const ZExpectedVersionSchema = z
  .number({ error: "Expected version must be a number" })
  .int("Expected version must be a whole number")
  .min(1, "Expected version starts at 1");

export const ZTitleSchema = z
  .string({ error: "Title must be text" })
  .trim()
  .min(3, "Title is at least 3 characters")
  .max(200, "Title is at most 200 characters");

export const ZDescriptionSchema = z.string({ error: "Description must be text" }).trim().max(4000, "Description is at most 4000 characters");

export const ZWindowIdSchema = z.guid({ error: "Maintenance window must be an id (uuid)" });
