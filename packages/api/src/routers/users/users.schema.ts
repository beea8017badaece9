import { z } from "zod";
import { PASSWORD_MIN_LENGTH } from "@meridian/db";
import { ROLES } from "@meridian/policy";
import { strict } from "../changes/common.schema";

const ZUserIdSchema = z.guid({ error: "User must be an id (uuid)" });

export const ZSetUserRolesRequestSchema = z.strictObject(
  {
    userId: ZUserIdSchema,
    roles: z
      .array(z.enum(ROLES, { error: `Role must be one of ${ROLES.join(", ")}` }), { error: "Roles must be a list" })
      .min(1, "Give at least one role (disable the account to remove all access)")
      .max(ROLES.length)
      .transform((roles) => [...new Set(roles)]),
  },
  strict,
);
export type TSetUserRolesRequest = z.output<typeof ZSetUserRolesRequestSchema>;

export const ZSetUserDisabledRequestSchema = z.strictObject(
  { userId: ZUserIdSchema, disabled: z.boolean({ error: "Disabled must be true or false" }) },
  strict,
);
export type TSetUserDisabledRequest = z.output<typeof ZSetUserDisabledRequestSchema>;

export const ZChangeOwnPasswordRequestSchema = z.strictObject(
  {
    currentPassword: z.string({ error: "Current password must be text" }).min(1, "Type your current password").max(1024),
    newPassword: z
      .string({ error: "New password must be text" })
      .min(PASSWORD_MIN_LENGTH, `At least ${PASSWORD_MIN_LENGTH} characters`)
      .max(1024, "At most 1024 characters"),
  },
  strict,
);
export type TChangeOwnPasswordRequest = z.output<typeof ZChangeOwnPasswordRequestSchema>;
