import { z } from "zod";
import { PolicyError } from "./errors";
import { REPLICATION_MODES } from "./domain";

/**
 * Change kinds and the parameters each one takes. Parameters reference rows by id (uuid);
 * the service resolves them into a fleet snapshot and the planner turns them into a plan.
 * Every message here is shown to the person filling in the form, so it names the field in
 * plain words.
 */
export const CHANGE_KINDS = [
  "ADD_REPLICA",
  "REMOVE_REPLICA",
  "ADD_LINK",
  "REMOVE_LINK",
  "SWITCHOVER",
  "FAILOVER",
  "MOVE_PRIMARY_REGION",
  "SCHEMA_CHANGE",
  "DRAIN_DATACENTER",
] as const;
export type TChangeKind = (typeof CHANGE_KINDS)[number];

export const CHANGE_KIND_LABELS: Record<TChangeKind, string> = {
  ADD_REPLICA: "Add a replica",
  REMOVE_REPLICA: "Remove a replica",
  ADD_LINK: "Add a cross-DC sync link",
  REMOVE_LINK: "Remove a sync link",
  SWITCHOVER: "Switchover (planned primary move)",
  FAILOVER: "Failover (emergency)",
  MOVE_PRIMARY_REGION: "Move the primary to another data center",
  SCHEMA_CHANGE: "Schema change",
  DRAIN_DATACENTER: "Drain a data center",
};

export const CHANGE_KIND_DESCRIPTIONS: Record<TChangeKind, string> = {
  ADD_REPLICA: "Provision a new replica of the cluster in a data center and replicate into it.",
  REMOVE_REPLICA: "Stop replicating into a replica, take it out of the inventory and deprovision it.",
  ADD_LINK: "Sync one instance of the cluster to another data center (an existing instance there, or a new sync target).",
  REMOVE_LINK: "Stop one replication link.",
  SWITCHOVER: "Planned move of the primary role to a healthy, caught-up replica; writes pause for seconds.",
  FAILOVER: "Emergency: promote the best replica without waiting for the old primary. Break-glass; reviewed afterwards.",
  MOVE_PRIMARY_REGION: "Move the primary to another data center: add a replica there if none, then switch over.",
  SCHEMA_CHANGE: "Apply SQL on the primary and verify it on the replicas; checked by the schema review rules.",
  DRAIN_DATACENTER: "Move every instance out of a data center, one child change per instance.",
};

/** Kinds that may run through the break-glass path (one DBA, reviewed afterwards). */
export const BREAK_GLASS_KINDS: readonly TChangeKind[] = ["FAILOVER"];

/** Kinds that act on one cluster (all but DRAIN_DATACENTER, which spans the clusters of a data center). */
export const CLUSTER_SCOPED_KINDS: readonly TChangeKind[] = CHANGE_KINDS.filter((k) => k !== "DRAIN_DATACENTER");

export const ZChangeKindSchema = z.enum(CHANGE_KINDS, {
  error: `Change kind must be one of ${CHANGE_KINDS.join(", ")}`,
});

/** A required id field: a missing value and a malformed one get different messages. */
function id(label: string) {
  return z.guid({
    error: (issue) => (issue.input === undefined ? `${label} is required` : `${label} must be an id (uuid)`),
  });
}

function flag(label: string) {
  return z.boolean({ error: `${label} must be true or false` }).default(false);
}

const ZLagLimitSchema = z
  .number({ error: "Maximum lag must be a number of seconds" })
  .min(0, "Maximum lag cannot be negative")
  .max(3600, "Maximum lag is at most 3600 seconds")
  .default(5);

const ZLinkModeSchema = z
  .enum(REPLICATION_MODES, { error: `Replication mode must be one of ${REPLICATION_MODES.join(", ")}` })
  .default("LOGICAL");

export const ZAddReplicaParamsSchema = z.object({
  kind: z.literal("ADD_REPLICA"),
  clusterId: id("Cluster"),
  /** Where the new replica runs. */
  dataCenterId: id("Data center"),
  /** Instance to replicate from; the cluster's primary when omitted. */
  sourceInstanceId: id("Source instance").optional(),
  /** Real servers are never provisioned: a registered empty instance (STANDBY, no links) of a POSTGRES cluster to turn into the replica. */
  targetInstanceId: id("Target instance").optional(),
  mode: ZLinkModeSchema,
});

export const ZRemoveReplicaParamsSchema = z.object({
  kind: z.literal("REMOVE_REPLICA"),
  clusterId: id("Cluster"),
  instanceId: id("Replica"),
  /** Allow removing the last replica of a T0/T1 cluster. */
  allowLastReplica: flag("Allow last replica"),
});

export const ZAddLinkParamsSchema = z.object({
  kind: z.literal("ADD_LINK"),
  clusterId: id("Cluster"),
  sourceInstanceId: id("Source instance"),
  targetDataCenterId: id("Target data center"),
  /** An existing instance of the cluster in the target data center; a sync target is provisioned when omitted. */
  targetInstanceId: id("Target instance").optional(),
  mode: ZLinkModeSchema,
  /** Data-sync hosting: only these tables ("schema.table", or "table" in public); all tables when omitted. */
  tables: z
    .array(
      z.string({ error: "A table name is text" }).trim().regex(/^[A-Za-z_][A-Za-z0-9_$]*(\.[A-Za-z_][A-Za-z0-9_$]*)?$/, "A table is named table or schema.table"),
      { error: "Tables must be a list of table names" },
    )
    .max(500, "At most 500 tables")
    .optional(),
});

export const ZRemoveLinkParamsSchema = z.object({
  kind: z.literal("REMOVE_LINK"),
  clusterId: id("Cluster"),
  linkId: id("Link"),
});

export const ZSwitchoverParamsSchema = z.object({
  kind: z.literal("SWITCHOVER"),
  clusterId: id("Cluster"),
  /** The replica that becomes primary. */
  replicaInstanceId: id("Replica to promote"),
  /** Refuse to start when the replica lags more than this. */
  maxLagSeconds: ZLagLimitSchema,
});

export const ZFailoverParamsSchema = z.object({
  kind: z.literal("FAILOVER"),
  clusterId: id("Cluster"),
  /** The replica to promote; the healthiest, least-lagging replica when omitted. */
  replicaInstanceId: id("Replica to promote").optional(),
  /** Why this emergency change is needed; shown to the reviewers afterwards. */
  reason: z
    .string({ error: "Reason is required" })
    .trim()
    .min(10, "Explain the emergency in at least 10 characters")
    .max(2000, "Reason is at most 2000 characters"),
});

export const ZMovePrimaryRegionParamsSchema = z.object({
  kind: z.literal("MOVE_PRIMARY_REGION"),
  clusterId: id("Cluster"),
  targetDataCenterId: id("Target data center"),
  mode: ZLinkModeSchema,
  maxLagSeconds: ZLagLimitSchema,
});

export const MAX_SQL_LENGTH = 100_000;

export const ZSchemaChangeParamsSchema = z.object({
  kind: z.literal("SCHEMA_CHANGE"),
  clusterId: id("Cluster"),
  sql: z
    .string({ error: "SQL is required" })
    .trim()
    .min(1, "SQL is required")
    .max(MAX_SQL_LENGTH, `SQL is at most ${MAX_SQL_LENGTH} characters`),
  /** Confirms that DROP TABLE / DROP COLUMN / DROP SCHEMA statements are intended. */
  allowDrop: flag("Allow drop"),
  /** SQL that undoes the change; run as the compensation when a later step fails. */
  rollbackSql: z
    .string({ error: "Rollback SQL must be text" })
    .trim()
    .max(MAX_SQL_LENGTH, `Rollback SQL is at most ${MAX_SQL_LENGTH} characters`)
    .optional()
    .transform((value) => (value ? value : undefined)),
});

export const ZDrainDataCenterParamsSchema = z.object({
  kind: z.literal("DRAIN_DATACENTER"),
  dataCenterId: id("Data center"),
  reason: z
    .string({ error: "Reason must be text" })
    .trim()
    .max(2000, "Reason is at most 2000 characters")
    .default(""),
});

export const ZChangeParamsSchema = z.discriminatedUnion(
  "kind",
  [
    ZAddReplicaParamsSchema,
    ZRemoveReplicaParamsSchema,
    ZAddLinkParamsSchema,
    ZRemoveLinkParamsSchema,
    ZSwitchoverParamsSchema,
    ZFailoverParamsSchema,
    ZMovePrimaryRegionParamsSchema,
    ZSchemaChangeParamsSchema,
    ZDrainDataCenterParamsSchema,
  ],
  {
    error: (issue) =>
      issue.code === "invalid_union" ? `Change kind must be one of ${CHANGE_KINDS.join(", ")}` : undefined,
  },
);

export type TAddReplicaParams = z.output<typeof ZAddReplicaParamsSchema>;
export type TRemoveReplicaParams = z.output<typeof ZRemoveReplicaParamsSchema>;
export type TAddLinkParams = z.output<typeof ZAddLinkParamsSchema>;
export type TRemoveLinkParams = z.output<typeof ZRemoveLinkParamsSchema>;
export type TSwitchoverParams = z.output<typeof ZSwitchoverParamsSchema>;
export type TFailoverParams = z.output<typeof ZFailoverParamsSchema>;
export type TMovePrimaryRegionParams = z.output<typeof ZMovePrimaryRegionParamsSchema>;
export type TSchemaChangeParams = z.output<typeof ZSchemaChangeParamsSchema>;
export type TDrainDataCenterParams = z.output<typeof ZDrainDataCenterParamsSchema>;
/** Validated parameters (defaults applied). */
export type TChangeParams = z.output<typeof ZChangeParamsSchema>;
/** What a form may send (defaults still optional). */
export type TChangeParamsInput = z.input<typeof ZChangeParamsSchema>;
export type TChangeParamsOf<K extends TChangeKind> = Extract<TChangeParams, { kind: K }>;

export const CHANGE_PARAMS_SCHEMAS = {
  ADD_REPLICA: ZAddReplicaParamsSchema,
  REMOVE_REPLICA: ZRemoveReplicaParamsSchema,
  ADD_LINK: ZAddLinkParamsSchema,
  REMOVE_LINK: ZRemoveLinkParamsSchema,
  SWITCHOVER: ZSwitchoverParamsSchema,
  FAILOVER: ZFailoverParamsSchema,
  MOVE_PRIMARY_REGION: ZMovePrimaryRegionParamsSchema,
  SCHEMA_CHANGE: ZSchemaChangeParamsSchema,
  DRAIN_DATACENTER: ZDrainDataCenterParamsSchema,
} as const satisfies Record<TChangeKind, z.ZodType>;

/** Field messages keyed by path ("clusterId", "sql"); "" holds messages about the whole value. */
export function fieldErrorsOf(error: z.ZodError): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const key = issue.path.map(String).join(".");
    (out[key] ??= []).push(issue.message);
  }
  return out;
}

export type TParseChangeParamsResult =
  | { ok: true; params: TChangeParams }
  | { ok: false; message: string; fieldErrors: Record<string, string[]> };

/** Validate a form's parameters without throwing. */
export function safeParseChangeParams(input: unknown): TParseChangeParamsResult {
  const result = ZChangeParamsSchema.safeParse(input);
  if (result.success) return { ok: true, params: result.data };
  const fieldErrors = fieldErrorsOf(result.error);
  const first = result.error.issues[0];
  const message = first
    ? `${first.path.length ? `${first.path.map(String).join(".")}: ` : ""}${first.message}`
    : "Invalid change parameters";
  return { ok: false, message, fieldErrors };
}

/** Validate a form's parameters; throws a PolicyError("INVALID") with field messages. */
export function parseChangeParams(input: unknown): TChangeParams {
  const result = safeParseChangeParams(input);
  if (!result.ok) throw new PolicyError("INVALID", result.message, result.fieldErrors);
  return result.params;
}

/** The cluster a change targets; null for fleet-level kinds (DRAIN_DATACENTER). */
export function clusterIdOf(params: TChangeParams): string | null {
  return params.kind === "DRAIN_DATACENTER" ? null : params.clusterId;
}
