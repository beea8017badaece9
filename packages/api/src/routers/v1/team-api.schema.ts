import { z } from "zod";
import { CHANGE_KINDS } from "@meridian/policy";

/**
 * Schemas of the team API (`/api/v1`): inputs and outputs of its procedures. The REST layer,
 * the OpenAPI document and the CLI's generated client all come from these. v1 promise: fields
 * and routes are only ever added, never renamed, retyped or removed.
 */
const strict = {
  error: (i: { code: string; keys?: string[] }) =>
    i.code === "unrecognized_keys" ? `Unknown field: ${(i.keys ?? []).join(", ")}` : "The request must be an object",
};

export const ZCursorSchema = z
  .string({ error: "Cursor must be the nextCursor of a previous page" })
  .max(200, "Cursor is at most 200 characters")
  .regex(/^[A-Za-z0-9_-]+$/, "Cursor must be the nextCursor of a previous page");
export const ZLimitSchema = z
  .number({ error: "Limit must be a number" })
  .int("Limit must be a whole number")
  .min(1, "Limit is at least 1")
  .max(200, "Limit is at most 200")
  .default(50);

const pageInput = { cursor: ZCursorSchema.optional(), limit: ZLimitSchema };
const ZDateTime = z.iso.datetime();
const ZCode = z.string({ error: "Must be text" }).trim().min(1, "Required").max(128, "At most 128 characters");
const ZNumberParam = z
  .number({ error: "Request number must be a number (123 for CR-123)" })
  .int("Request number must be a whole number")
  .min(1, "Request number starts at 1")
  .max(2_147_483_647, "Request number is too large");
const ZExpectedVersion = z
  .number({ error: "Expected version must be a number" })
  .int("Expected version must be a whole number")
  .min(1, "Expected version starts at 1");

function page<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}

// ---- inputs ---------------------------------------------------------------------------------

export const ZListDataCentersV1RequestSchema = z.strictObject(
  { ...pageInput, jurisdiction: ZCode.optional(), status: z.enum(["ACTIVE", "DRAINING", "MAINTENANCE", "OFFLINE"]).optional() },
  strict,
);
export const ZGetDataCenterV1RequestSchema = z.strictObject({ code: ZCode }, strict);
export const ZListClustersV1RequestSchema = z.strictObject({ ...pageInput }, strict);
export const ZGetClusterV1RequestSchema = z.strictObject({ name: ZCode }, strict);
export const ZListInstancesV1RequestSchema = z.strictObject({ ...pageInput, cluster: ZCode.optional() }, strict);
export const ZListLinksV1RequestSchema = z.strictObject({ ...pageInput, cluster: ZCode.optional() }, strict);
export const ZListChangesV1RequestSchema = z.strictObject(
  {
    ...pageInput,
    status: z
      .enum(["DRAFT", "PENDING_APPROVAL", "APPROVED", "SCHEDULED", "RUNNING", "SUCCEEDED", "FAILED", "ROLLED_BACK", "REJECTED", "CANCELLED", "BLOCKED"], {
        error: "Unknown status",
      })
      .optional(),
    cluster: ZCode.optional(),
  },
  strict,
);
export const ZGetChangeV1RequestSchema = z.strictObject({ number: ZNumberParam }, strict);
export const ZListAuditEventsV1RequestSchema = z.strictObject({ ...pageInput }, strict);

/**
 * A change request as a file (YAML or JSON) kept in a team's repository. `target.cluster` is a
 * cluster name (or id); in `parameters`, data centers may be given by code and instances by
 * name. Published as JSON Schema at `/api/v1/change-file.schema.json`.
 */
export const ZChangeFileSchema = z
  .strictObject(
    {
      kind: z.enum(CHANGE_KINDS, { error: `Kind must be one of ${CHANGE_KINDS.join(", ")}` }),
      target: z.strictObject(
        {
          cluster: ZCode.optional().meta({ description: "Cluster name (or id)" }),
          dataCenter: ZCode.optional().meta({ description: "Data center code, for DRAIN_DATACENTER" }),
        },
        strict,
      ),
      parameters: z
        .record(z.string(), z.unknown(), { error: "Parameters must be an object" })
        .default({})
        .meta({
          description:
            "The kind's parameters: dataCenterId/targetDataCenterId (code or id), instanceId/sourceInstanceId/targetInstanceId/replicaInstanceId (name or id), mode, maxLagSeconds, sql, rollbackSql, allowDrop, allowLastReplica, linkId, reason",
        }),
      schedule: z
        .strictObject({ maintenanceWindowId: z.guid({ error: "Maintenance window must be an id (uuid)" }).nullable().default(null) }, strict)
        .default({ maintenanceWindowId: null }),
      reason: z
        .string({ error: "Reason is required" })
        .trim()
        .min(3, "Reason is at least 3 characters")
        .max(4000, "Reason is at most 4000 characters"),
      title: z.string({ error: "Title must be text" }).trim().min(3, "Title is at least 3 characters").max(200, "Title is at most 200 characters").optional(),
    },
    strict,
  )
  .meta({ id: "ChangeFile", title: "Meridian change request file" });
export type TChangeFile = z.output<typeof ZChangeFileSchema>;
export type TChangeFileInput = z.input<typeof ZChangeFileSchema>;

export const ZFileChangeV1RequestSchema = ZChangeFileSchema;
export const ZPlanChangeV1RequestSchema = ZChangeFileSchema;
export const ZUpdateChangeV1RequestSchema = z.strictObject(
  {
    number: ZNumberParam,
    expectedVersion: ZExpectedVersion,
    title: z.string({ error: "Title must be text" }).trim().min(3, "Title is at least 3 characters").max(200, "Title is at most 200 characters").optional(),
    reason: z.string({ error: "Reason must be text" }).trim().max(4000, "Reason is at most 4000 characters").optional(),
    /** Replaces the parameters (same kind, same target); omitted: re-plan against the fleet as it is now. */
    parameters: z.record(z.string(), z.unknown(), { error: "Parameters must be an object" }).optional(),
  },
  strict,
);
export const ZSubmitChangeV1RequestSchema = z.strictObject({ number: ZNumberParam, expectedVersion: ZExpectedVersion }, strict);
export const ZCancelChangeV1RequestSchema = z.strictObject(
  {
    number: ZNumberParam,
    expectedVersion: ZExpectedVersion,
    reason: z.string({ error: "Reason must be text" }).trim().max(2000, "Reason is at most 2000 characters").default(""),
  },
  strict,
);

// ---- outputs --------------------------------------------------------------------------------

export const ZDataCenterV1Schema = z
  .object({
    id: z.string(),
    code: z.string(),
    name: z.string(),
    city: z.string(),
    country: z.string(),
    region: z.string(),
    jurisdiction: z.string(),
    provider: z.string(),
    status: z.string(),
    latitude: z.number(),
    longitude: z.number(),
  })
  .meta({ id: "DataCenter" });
export const ZClusterV1Schema = z
  .object({
    id: z.string(),
    name: z.string(),
    engine: z.string(),
    engineVersion: z.string(),
    team: z.object({ slug: z.string(), name: z.string() }),
    tier: z.string(),
    classification: z.string(),
    homeJurisdiction: z.string(),
    allowedJurisdictions: z.array(z.string()),
    rpoSeconds: z.number(),
    rtoSeconds: z.number(),
    instanceCount: z.number(),
  })
  .meta({ id: "Cluster" });
export const ZInstanceV1Schema = z
  .object({
    id: z.string(),
    name: z.string(),
    cluster: z.string(),
    dataCenter: z.string(),
    role: z.string(),
    driver: z.string(),
    endpoint: z.string(),
    version: z.string(),
    health: z.string(),
    lastSeenAt: ZDateTime.nullable(),
  })
  .meta({ id: "Instance" });
export const ZLinkV1Schema = z
  .object({
    id: z.string(),
    cluster: z.string(),
    source: z.string(),
    target: z.string(),
    mode: z.string(),
    status: z.string(),
    lagBytes: z.string().meta({ description: "Bytes, as a decimal string (may exceed 2^53)" }),
    lagSeconds: z.number(),
  })
  .meta({ id: "ReplicationLink" });

const ZPersonSchema = z.object({ id: z.string(), name: z.string(), email: z.string() });
const ZFiledByTokenSchema = z.object({ id: z.string(), name: z.string(), prefix: z.string() }).nullable();

export const ZChangeSummaryV1Schema = z
  .object({
    id: z.string(),
    number: z.number(),
    kind: z.string(),
    title: z.string(),
    status: z.string(),
    version: z.number(),
    cluster: z.object({ id: z.string(), name: z.string() }).nullable(),
    riskLevel: z.string().nullable(),
    residencyVerdict: z.string().nullable(),
    requester: ZPersonSchema,
    filedByToken: ZFiledByTokenSchema,
    createdAt: ZDateTime,
    updatedAt: ZDateTime,
  })
  .meta({ id: "ChangeRequestSummary" });

const ZPlanStepSchema = z.object({ index: z.number(), id: z.string(), name: z.string(), action: z.string() });
const ZResidencySchema = z.object({
  verdict: z.string().nullable(),
  rule: z.string().nullable(),
  needsCompliance: z.boolean(),
  jurisdictionsTouched: z.array(z.string()),
  perCluster: z.array(z.object({ clusterName: z.string(), verdict: z.string(), rule: z.string().nullable(), summary: z.string() })),
});
const ZBlastRadiusSchema = z.object({
  clusters: z.array(z.string()),
  instances: z.array(z.string()),
  dataCenters: z.array(z.string()),
  jurisdictions: z.array(z.string()),
  expectedDowntimeSeconds: z.number(),
});

export const ZChangeDetailV1Schema = ZChangeSummaryV1Schema.extend({
  reason: z.string(),
  parameters: z.record(z.string(), z.unknown()),
  plan: z.object({ hash: z.string().nullable(), steps: z.array(ZPlanStepSchema) }),
  risk: z.object({ level: z.string().nullable(), reasons: z.array(z.string()), score: z.number().nullable() }),
  residency: ZResidencySchema,
  blastRadius: ZBlastRadiusSchema.nullable(),
  warnings: z.array(z.string()),
  approval: z.object({
    policy: z.string().nullable(),
    stages: z.array(z.object({ name: z.string(), approvals: z.number(), quorum: z.number(), satisfied: z.boolean() })),
    waitingFor: z.array(z.string()),
  }),
  window: z.object({ startsAt: ZDateTime, endsAt: ZDateTime }).nullable(),
  submittedAt: ZDateTime.nullable(),
  decidedAt: ZDateTime.nullable(),
}).meta({ id: "ChangeRequest" });

export const ZChangePlanV1Schema = z
  .object({
    kind: z.string(),
    title: z.string(),
    cluster: z.object({ id: z.string(), name: z.string() }).nullable(),
    parameters: z.record(z.string(), z.unknown()),
    plan: z.object({ hash: z.string(), steps: z.array(ZPlanStepSchema) }),
    risk: z.object({ level: z.string(), reasons: z.array(z.string()), score: z.number() }),
    residency: ZResidencySchema,
    blastRadius: ZBlastRadiusSchema,
    warnings: z.array(z.string()),
    schedule: z.object({ note: z.string(), inWindow: z.boolean(), freezeNow: z.string().nullable() }),
    /** True when residency forbids the change: filing it would end BLOCKED. */
    blocked: z.boolean(),
  })
  .meta({ id: "ChangePlan" });

export const ZExecutionV1Schema = z
  .object({
    request: z.object({ number: z.number(), status: z.string() }),
    execution: z
      .object({
        id: z.string(),
        attempt: z.number(),
        status: z.string(),
        terminal: z.boolean(),
        error: z.string().nullable(),
        startedAt: ZDateTime.nullable(),
        finishedAt: ZDateTime.nullable(),
        progress: z.object({ step: z.number(), of: z.number(), done: z.number(), total: z.number(), percent: z.number(), direction: z.string() }),
        steps: z.array(
          z.object({ index: z.number(), name: z.string(), status: z.string(), startedAt: ZDateTime.nullable(), finishedAt: ZDateTime.nullable(), error: z.string().nullable() }),
        ),
      })
      .nullable(),
    serverNow: ZDateTime,
  })
  .meta({ id: "ExecutionProgress" });

export const ZAuditEventV1Schema = z
  .object({
    id: z.string(),
    occurredAt: ZDateTime,
    actorEmail: z.string().nullable(),
    action: z.string(),
    targetType: z.string(),
    targetId: z.string().nullable(),
    before: z.unknown(),
    after: z.unknown(),
    hash: z.string(),
  })
  .meta({ id: "AuditEvent" });

export const ZWhoAmIV1Schema = z
  .object({
    token: z.object({ id: z.string(), name: z.string(), prefix: z.string(), scopes: z.array(z.string()), expiresAt: ZDateTime.nullable() }).nullable(),
    team: z.object({ slug: z.string(), name: z.string() }).nullable(),
    clusters: z.array(z.string()).meta({ description: "Clusters the caller may file requests for (empty for a session: any it may)" }),
    user: z.object({ name: z.string(), email: z.string() }),
  })
  .meta({ id: "WhoAmI" });

export const ZDataCenterPageV1Schema = page(ZDataCenterV1Schema);
export const ZClusterPageV1Schema = page(ZClusterV1Schema);
export const ZInstancePageV1Schema = page(ZInstanceV1Schema);
export const ZLinkPageV1Schema = page(ZLinkV1Schema);
export const ZChangePageV1Schema = page(ZChangeSummaryV1Schema);
export const ZAuditEventPageV1Schema = page(ZAuditEventV1Schema);
