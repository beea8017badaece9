import { z } from "zod";

const ZHostSchema = z
  .string()
  .trim()
  .min(1, "Host is required")
  .max(253, "At most 253 characters")
  .regex(/^[A-Za-z0-9.\-:[\]]+$/, "A host name or an IP address");
const ZPortSchema = z.coerce.number().int("A whole number").min(1, "1 to 65535").max(65535, "1 to 65535");
const ZDatabaseSchema = z
  .string()
  .trim()
  .min(1, "Database is required")
  .max(63, "At most 63 characters");
const ZUserSchema = z.string().trim().min(1, "User is required").max(63, "At most 63 characters");
/** Write-only: accepted here, stored encrypted, never returned, logged or audited. */
const ZPasswordSchema = z.string().min(1, "Password is required").max(1024, "At most 1024 characters");

export const ZRegisterInstanceRequestSchema = z.object({
  clusterId: z.string().uuid("Choose a cluster"),
  dataCenterId: z.string().uuid("Choose a data center"),
  name: z
    .string()
    .trim()
    .min(3, "At least 3 characters")
    .max(128, "At most 128 characters")
    .regex(/^[a-z0-9][a-z0-9-]*$/, "Lower-case letters, digits and dashes"),
  role: z.enum(["PRIMARY", "REPLICA", "STANDBY"], { error: "PRIMARY, REPLICA or STANDBY" }),
  host: ZHostSchema,
  port: ZPortSchema,
  database: ZDatabaseSchema,
  user: ZUserSchema,
  password: ZPasswordSchema,
});
export type TRegisterInstanceRequest = z.infer<typeof ZRegisterInstanceRequestSchema>;

export const ZRotateInstanceCredentialRequestSchema = z.object({
  instanceId: z.string().uuid("No such instance"),
  user: ZUserSchema,
  password: ZPasswordSchema,
});
export type TRotateInstanceCredentialRequest = z.infer<typeof ZRotateInstanceCredentialRequestSchema>;
