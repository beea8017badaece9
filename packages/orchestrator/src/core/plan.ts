import { createHash } from "node:crypto";
import { z } from "zod";
import { CHANGE_KINDS, type TChangeKind } from "@meridian/policy";

/**
 * The plan format: what an approved change request will do, as ordered, named steps, each
 * naming a driver action, its JSON input, the compensation that undoes it, and its retry and
 * timeout. A plan is data: it is stored with the request, hashed (sha256 of its canonical
 * JSON), approved by that hash, and re-validated and re-hashed by the executor before it runs.
 */
export const PLAN_VERSION = 1 as const;

export type TJsonValue = string | number | boolean | null | TJsonValue[] | { [key: string]: TJsonValue };
export type TJsonObject = { [key: string]: TJsonValue };

export interface TRetryPolicy {
  /** Attempts including the first one (1 = no retry). */
  maxAttempts: number;
  /** Wait before the 2nd attempt; doubled for each further one. */
  backoffMs: number;
}

interface TActionSpec {
  /** Changes something in the fleet or the inventory; such a step must have a compensation. */
  mutates: boolean;
  /** Only valid as a compensation. */
  compensationOnly?: boolean;
  description: string;
  retry: TRetryPolicy;
  timeoutMs: number;
}

const quick = { maxAttempts: 3, backoffMs: 1_000 };
const patient = { maxAttempts: 3, backoffMs: 5_000 };
const MINUTE = 60_000;

/**
 * Every action a plan may name: the contract with the drivers in packages/fleet. Each step
 * is idempotent: the driver checks the current state first ("link already exists" is
 * success) and uses the ids given in the input for anything it creates.
 */
export const PLAN_ACTIONS = {
  checkCapacity: { mutates: false, description: "A data center has the free slots the change needs", retry: quick, timeoutMs: MINUTE },
  checkInstance: { mutates: false, description: "An instance exists with the expected role and is not DOWN", retry: quick, timeoutMs: MINUTE },
  checkReplicaReady: { mutates: false, description: "A replica is healthy and lags less than a limit", retry: quick, timeoutMs: MINUTE },
  checkLink: { mutates: false, description: "A replication link exists", retry: quick, timeoutMs: MINUTE },
  waitForCatchUp: { mutates: false, description: "Wait until a link's lag is at or below a limit", retry: patient, timeoutMs: 30 * MINUTE },
  waitForFenceLsn: {
    mutates: false,
    description: "Wait until a subscriber has confirmed every write of its fenced source (the source's WAL position after the fence)",
    retry: { maxAttempts: 2, backoffMs: 0 },
    timeoutMs: MINUTE,
  },
  verifySchema: { mutates: false, description: "An instance has the schema the primary has after the change", retry: patient, timeoutMs: 10 * MINUTE },
  preflightLink: {
    mutates: false,
    description: "Before building a link: both servers answer, wal_level, privileges, primary keys, no conflicting table on the target",
    retry: quick,
    timeoutMs: MINUTE,
  },
  verifyLink: {
    mutates: false,
    description: "Compare source and target per table (row count and checksum); the link is ACTIVE once they match",
    retry: patient,
    timeoutMs: 30 * MINUTE,
  },
  verifyDataCenterEmpty: { mutates: false, description: "No instance is left in a data center", retry: quick, timeoutMs: MINUTE },
  provisionInstance: { mutates: true, description: "Create a database server in a data center", retry: patient, timeoutMs: 15 * MINUTE },
  deprovisionInstance: { mutates: true, description: "Destroy a database server", retry: patient, timeoutMs: 15 * MINUTE },
  registerInstance: { mutates: true, description: "Put an instance in the inventory with a role", retry: quick, timeoutMs: MINUTE },
  unregisterInstance: { mutates: true, description: "Take an instance out of the inventory (no traffic routed to it)", retry: quick, timeoutMs: MINUTE },
  createLink: { mutates: true, description: "Start replicating from a source to a target instance", retry: patient, timeoutMs: 10 * MINUTE },
  dropLink: { mutates: true, description: "Stop and remove a replication link", retry: patient, timeoutMs: 5 * MINUTE },
  repointLink: { mutates: true, description: "Make a replica follow another source", retry: patient, timeoutMs: 5 * MINUTE },
  fenceWrites: { mutates: true, description: "Stop application writes to a cluster's primary", retry: quick, timeoutMs: MINUTE },
  unfenceWrites: { mutates: true, description: "Open application writes on a cluster's primary", retry: quick, timeoutMs: MINUTE },
  promoteReplica: { mutates: true, description: "Make a replica the primary", retry: quick, timeoutMs: 5 * MINUTE },
  demoteToReplica: { mutates: true, description: "Make an instance a replica of a source", retry: patient, timeoutMs: 10 * MINUTE },
  detachInstance: { mutates: true, description: "Take a failed instance out of the topology for rebuilding", retry: quick, timeoutMs: MINUTE },
  attachInstance: { mutates: true, description: "Put a detached instance back in the topology", retry: quick, timeoutMs: MINUTE },
  applySchemaChange: { mutates: true, description: "Run SQL statements on an instance, one by one", retry: { maxAttempts: 1, backoffMs: 0 }, timeoutMs: 60 * MINUTE },
  setDataCenterStatus: { mutates: true, description: "Set a data center's status", retry: quick, timeoutMs: MINUTE },
  manualIntervention: {
    mutates: false,
    compensationOnly: true,
    description: "Stop and ask a person: fails with the instructions in its input",
    retry: { maxAttempts: 1, backoffMs: 0 },
    timeoutMs: MINUTE,
  },
} as const satisfies Record<string, TActionSpec>;

export type TPlanAction = keyof typeof PLAN_ACTIONS;
export const PLAN_ACTION_NAMES = Object.keys(PLAN_ACTIONS) as TPlanAction[];

export function actionMutates(action: TPlanAction): boolean {
  return PLAN_ACTIONS[action].mutates;
}

export interface TCompensation {
  action: TPlanAction;
  input: TJsonObject;
}

export interface TPlanStep {
  /** Stable and unique within the plan: "02-provision-instance". The executor's idempotency key derives from it. */
  id: string;
  /** For people: "Provision payments-eu-01-fra2-r1 in fra2". */
  name: string;
  action: TPlanAction;
  input: TJsonObject;
  /** Undoes the step; null only for steps that change nothing. */
  compensation: TCompensation | null;
  retry: TRetryPolicy;
  timeoutMs: number;
  /** Groups steps for display (a child change of a data center drain). */
  group?: string;
}

export interface TPlan {
  kind: TChangeKind;
  version: typeof PLAN_VERSION;
  steps: TPlanStep[];
}

// ---------------------------------------------------------------------------
// Validation (the executor parses a stored plan before it runs anything)
// ---------------------------------------------------------------------------

const ZActionSchema = z.enum(PLAN_ACTION_NAMES as [TPlanAction, ...TPlanAction[]], {
  error: (issue) => `Unknown action ${JSON.stringify(issue.input)}`,
});
const ZJsonObjectSchema = z.record(z.string(), z.json());

export const STEP_ID_PATTERN = /^\d{2,4}-[a-z0-9][a-z0-9-]*$/;

export const ZPlanStepSchema = z.object({
  id: z.string().max(160, "Step id is at most 160 characters").regex(STEP_ID_PATTERN, "Step id looks like 02-provision-instance"),
  name: z.string().min(1, "Step name is required").max(300, "Step name is at most 300 characters"),
  action: ZActionSchema,
  input: ZJsonObjectSchema,
  compensation: z.object({ action: ZActionSchema, input: ZJsonObjectSchema }).nullable(),
  retry: z.object({
    maxAttempts: z.number().int().min(1, "At least one attempt").max(100, "At most 100 attempts"),
    backoffMs: z.number().int().min(0).max(3_600_000),
  }),
  timeoutMs: z.number().int().min(1).max(24 * 3_600_000),
  group: z.string().max(300).optional(),
});

export const ZPlanSchema = z
  .object({
    kind: z.enum(CHANGE_KINDS),
    version: z.literal(PLAN_VERSION, { error: `Plan version must be ${PLAN_VERSION}` }),
    steps: z.array(ZPlanStepSchema).min(1, "A plan has at least one step"),
  })
  .superRefine((plan, ctx) => {
    const seen = new Set<string>();
    plan.steps.forEach((step, i) => {
      if (seen.has(step.id)) ctx.addIssue({ code: "custom", path: ["steps", i, "id"], message: `Step id ${step.id} is used twice` });
      seen.add(step.id);
      const spec = PLAN_ACTIONS[step.action];
      if ("compensationOnly" in spec && spec.compensationOnly)
        ctx.addIssue({ code: "custom", path: ["steps", i, "action"], message: `${step.action} can only be a compensation` });
      if (spec.mutates && step.compensation === null)
        ctx.addIssue({
          code: "custom",
          path: ["steps", i, "compensation"],
          message: `Step ${step.id} changes something (${step.action}) and has no compensation`,
        });
    });
  });

export class PlanIntegrityError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PlanIntegrityError";
  }
}

/** Parse a stored plan; throws PlanIntegrityError with the first problem. */
export function parsePlan(json: unknown): TPlan {
  const result = ZPlanSchema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new PlanIntegrityError(`Invalid plan: ${issue ? `${issue.path.join(".")}: ${issue.message}` : "unknown problem"}`);
  }
  return result.data as TPlan;
}

/** Parse a stored plan and check it still has the hash that was approved. */
export function parseApprovedPlan(json: unknown, approvedHash: string): TPlan {
  const plan = parsePlan(json);
  const actual = planHash(plan);
  if (actual !== approvedHash)
    throw new PlanIntegrityError(`The plan changed after approval: its hash is ${actual}, the approved hash is ${approvedHash}`);
  return plan;
}

// ---------------------------------------------------------------------------
// Canonical JSON and hashing
// ---------------------------------------------------------------------------

/**
 * JSON with object keys sorted at every depth and no whitespace; undefined object members
 * are dropped (as JSON.stringify does). Non-JSON values (NaN, Infinity, bigint, Date,
 * functions, class instances) are refused so that the hash can never depend on them.
 */
export function canonicalJson(value: unknown): string {
  if (value === null) return "null";
  switch (typeof value) {
    case "string":
    case "boolean":
      return JSON.stringify(value);
    case "number":
      if (!Number.isFinite(value)) throw new TypeError(`canonicalJson: ${value} is not a JSON number`);
      return JSON.stringify(Object.is(value, -0) ? 0 : value);
    case "object": {
      if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? "null" : canonicalJson(v))).join(",")}]`;
      const proto = Object.getPrototypeOf(value) as unknown;
      if (proto !== Object.prototype && proto !== null)
        throw new TypeError(`canonicalJson: ${(value as object).constructor?.name ?? "object"} is not plain JSON`);
      const entries = Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
    }
    default:
      throw new TypeError(`canonicalJson: a ${typeof value} is not JSON`);
  }
}

export function sha256Hex(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

/** sha256 hex of the plan's canonical JSON: what approvers approve and the executor re-checks. */
export function planHash(plan: TPlan): string {
  return sha256Hex(canonicalJson(plan));
}

/**
 * A deterministic uuid (version 8, RFC 9562) from the given parts: the same request always
 * names the instance or link it creates the same way, so a retried step finds its own work.
 */
export function derivedId(...parts: string[]): string {
  const hex = sha256Hex(parts.join("\u001f")).slice(0, 32).split("");
  hex[12] = "8";
  hex[16] = ((parseInt(hex[16] ?? "0", 16) & 0x3) | 0x8).toString(16);
  const h = hex.join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** Idempotency key of a step in one execution: deterministic from (execution, step). */
export function stepIdempotencyKey(executionId: string, stepId: string): string {
  return `${executionId}:${stepId}`;
}
