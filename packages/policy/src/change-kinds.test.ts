import { describe, expect, it } from "vitest";
import {
  CHANGE_KINDS,
  CHANGE_KIND_LABELS,
  CHANGE_PARAMS_SCHEMAS,
  PolicyError,
  ZChangeParamsSchema,
  clusterIdOf,
  parseChangeParams,
  safeParseChangeParams,
  type TChangeKind,
} from "./index";

const CLUSTER = "11111111-1111-4111-8111-111111111111";
const DC = "22222222-2222-4222-8222-222222222222";
const INSTANCE = "33333333-3333-4333-8333-333333333333";
const OTHER = "44444444-4444-4444-8444-444444444444";

/** One minimal valid form per kind, and the defaults the schema must fill in. */
const VALID: Record<TChangeKind, { input: Record<string, unknown>; defaults: Record<string, unknown> }> = {
  ADD_REPLICA: { input: { clusterId: CLUSTER, dataCenterId: DC }, defaults: { mode: "LOGICAL" } },
  REMOVE_REPLICA: { input: { clusterId: CLUSTER, instanceId: INSTANCE }, defaults: { allowLastReplica: false } },
  ADD_LINK: {
    input: { clusterId: CLUSTER, sourceInstanceId: INSTANCE, targetDataCenterId: DC },
    defaults: { mode: "LOGICAL" },
  },
  REMOVE_LINK: { input: { clusterId: CLUSTER, linkId: OTHER }, defaults: {} },
  SWITCHOVER: { input: { clusterId: CLUSTER, replicaInstanceId: INSTANCE }, defaults: { maxLagSeconds: 5 } },
  FAILOVER: { input: { clusterId: CLUSTER, reason: "primary fra1 lost power" }, defaults: {} },
  MOVE_PRIMARY_REGION: {
    input: { clusterId: CLUSTER, targetDataCenterId: DC },
    defaults: { mode: "LOGICAL", maxLagSeconds: 5 },
  },
  SCHEMA_CHANGE: { input: { clusterId: CLUSTER, sql: "ALTER TABLE t ADD COLUMN c int" }, defaults: { allowDrop: false } },
  DRAIN_DATACENTER: { input: { dataCenterId: DC }, defaults: { reason: "" } },
};

/** For each kind, a required field and the message a user sees when it is missing. */
const REQUIRED: [TChangeKind, string, string][] = [
  ["ADD_REPLICA", "clusterId", "Cluster is required"],
  ["ADD_REPLICA", "dataCenterId", "Data center is required"],
  ["REMOVE_REPLICA", "instanceId", "Replica is required"],
  ["ADD_LINK", "sourceInstanceId", "Source instance is required"],
  ["ADD_LINK", "targetDataCenterId", "Target data center is required"],
  ["REMOVE_LINK", "linkId", "Link is required"],
  ["SWITCHOVER", "replicaInstanceId", "Replica to promote is required"],
  ["FAILOVER", "reason", "Reason is required"],
  ["MOVE_PRIMARY_REGION", "targetDataCenterId", "Target data center is required"],
  ["SCHEMA_CHANGE", "sql", "SQL is required"],
  ["DRAIN_DATACENTER", "dataCenterId", "Data center is required"],
];

describe("change kinds", () => {
  it("has a label and a parameter schema for every kind", () => {
    for (const kind of CHANGE_KINDS) {
      expect(CHANGE_KIND_LABELS[kind].length).toBeGreaterThan(3);
      expect(CHANGE_PARAMS_SCHEMAS[kind]).toBeDefined();
    }
  });

  it.each(CHANGE_KINDS)("accepts a valid %s form and fills in its defaults", (kind) => {
    const { input, defaults } = VALID[kind];
    const parsed = parseChangeParams({ kind, ...input });
    expect(parsed).toEqual({ kind, ...input, ...defaults });
    expect(CHANGE_PARAMS_SCHEMAS[kind].safeParse({ kind, ...input }).success).toBe(true);
  });

  it.each(REQUIRED)("%s without %s says what is missing", (kind, field, message) => {
    const input: Record<string, unknown> = { kind, ...VALID[kind].input };
    delete input[field];
    const result = safeParseChangeParams(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.fieldErrors[field]).toEqual([message]);
  });

  it("names the field and the expected format when an id is malformed", () => {
    const result = safeParseChangeParams({ kind: "ADD_REPLICA", clusterId: "payments", dataCenterId: DC });
    expect(result).toMatchObject({ ok: false, fieldErrors: { clusterId: ["Cluster must be an id (uuid)"] } });
    if (!result.ok) expect(result.message).toBe("clusterId: Cluster must be an id (uuid)");
  });

  it("lists the valid kinds when the kind is unknown or missing", () => {
    for (const input of [{ kind: "DELETE_CLUSTER", clusterId: CLUSTER }, { clusterId: CLUSTER }]) {
      const result = safeParseChangeParams(input);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.fieldErrors.kind?.[0]).toContain("ADD_REPLICA, REMOVE_REPLICA");
    }
  });

  it("refuses a failover without a real reason, a blank SQL text and a negative lag limit", () => {
    const cases: [Record<string, unknown>, string, string][] = [
      [{ kind: "FAILOVER", clusterId: CLUSTER, reason: "  down  " }, "reason", "Explain the emergency in at least 10 characters"],
      [{ kind: "SCHEMA_CHANGE", clusterId: CLUSTER, sql: "   " }, "sql", "SQL is required"],
      [
        { kind: "SWITCHOVER", clusterId: CLUSTER, replicaInstanceId: INSTANCE, maxLagSeconds: -1 },
        "maxLagSeconds",
        "Maximum lag cannot be negative",
      ],
      [{ kind: "ADD_REPLICA", clusterId: CLUSTER, dataCenterId: DC, mode: "MAGIC" }, "mode", "Replication mode must be one of PHYSICAL, LOGICAL, CDC"],
      [
        { kind: "SCHEMA_CHANGE", clusterId: CLUSTER, sql: "select 1", allowDrop: "yes" },
        "allowDrop",
        "Allow drop must be true or false",
      ],
    ];
    for (const [input, field, message] of cases) {
      const result = safeParseChangeParams(input);
      expect(result.ok, JSON.stringify(input)).toBe(false);
      if (!result.ok) expect(result.fieldErrors[field]).toEqual([message]);
    }
  });

  it("throws a typed INVALID error with field messages from parseChangeParams", () => {
    try {
      parseChangeParams({ kind: "SWITCHOVER", clusterId: CLUSTER });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(PolicyError);
      expect((error as PolicyError).code).toBe("INVALID");
      expect((error as PolicyError).fieldErrors).toEqual({ replicaInstanceId: ["Replica to promote is required"] });
    }
  });

  it("trims text and turns blank rollback SQL into none", () => {
    const parsed = ZChangeParamsSchema.parse({ kind: "SCHEMA_CHANGE", clusterId: CLUSTER, sql: "  select 1 ", rollbackSql: "  " });
    expect(parsed).toMatchObject({ sql: "select 1", rollbackSql: undefined });
  });

  it("knows which kinds target a cluster", () => {
    for (const kind of CHANGE_KINDS) {
      const params = parseChangeParams({ kind, ...VALID[kind].input });
      expect(clusterIdOf(params)).toBe(kind === "DRAIN_DATACENTER" ? null : CLUSTER);
    }
  });
});
