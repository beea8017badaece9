import { z } from "zod";

/** Scopes a token can hold. `changes:approve` does not exist for tokens: a machine never approves. */
export const TOKEN_SCOPES = ["read", "changes:write"] as const;
export type TTokenScope = (typeof TOKEN_SCOPES)[number];

export const ZTokenScopeSchema = z.enum(TOKEN_SCOPES, {
  error: (issue) =>
    issue.input === "changes:approve"
      ? "changes:approve is never granted to a token: a machine never approves"
      : `Scope must be one of ${TOKEN_SCOPES.join(", ")}`,
});

const strict = { error: (i: { code: string; keys?: string[] }) => (i.code === "unrecognized_keys" ? `Unknown field: ${(i.keys ?? []).join(", ")}` : "The request must be an object") };

export const ZCreateApiTokenRequestSchema = z.strictObject(
  {
    teamId: z.guid({ error: "Team must be an id (uuid)" }),
    name: z
      .string({ error: "Name must be text" })
      .trim()
      .min(3, "Name is at least 3 characters")
      .max(64, "Name is at most 64 characters"),
    scopes: z
      .array(ZTokenScopeSchema, { error: "Scopes must be a list" })
      .min(1, "Pick at least one scope")
      .max(TOKEN_SCOPES.length, "Each scope once")
      .refine((s) => new Set(s).size === s.length, "Each scope once"),
    /** Days until the token expires; null: never. */
    expiresInDays: z
      .number({ error: "Expiry must be a number of days" })
      .int("Expiry is a whole number of days")
      .min(1, "Expiry is at least 1 day")
      .max(3650, "Expiry is at most 3650 days")
      .nullable()
      .default(null),
    /** Restrict the token to these clusters of the team; empty: all of them. */
    clusterIds: z.array(z.guid({ error: "Cluster must be an id (uuid)" }), { error: "Clusters must be a list" }).max(200).default([]),
  },
  strict,
);
export type TCreateApiTokenRequest = z.output<typeof ZCreateApiTokenRequestSchema>;
export type TCreateApiTokenRequestInput = z.input<typeof ZCreateApiTokenRequestSchema>;

export const ZListApiTokensRequestSchema = z.strictObject(
  { teamId: z.guid({ error: "Team must be an id (uuid)" }).optional() },
  strict,
);
export type TListApiTokensRequest = z.output<typeof ZListApiTokensRequestSchema>;

export const ZRevokeApiTokenRequestSchema = z.strictObject({ id: z.guid({ error: "Token must be an id (uuid)" }) }, strict);
export type TRevokeApiTokenRequest = z.output<typeof ZRevokeApiTokenRequestSchema>;
