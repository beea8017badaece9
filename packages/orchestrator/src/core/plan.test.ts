import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  PLAN_ACTIONS,
  PlanIntegrityError,
  canonicalJson,
  derivedId,
  parseApprovedPlan,
  parsePlan,
  planHash,
  type TPlan,
} from "./plan";

const plan: TPlan = {
  kind: "ADD_LINK",
  version: 1,
  steps: [
    {
      id: "01-check-source",
      name: "Check the source",
      action: "checkInstance",
      input: { instanceId: "a" },
      compensation: null,
      retry: { maxAttempts: 3, backoffMs: 1000 },
      timeoutMs: 60000,
    },
    {
      id: "02-create-link",
      name: "Create the link",
      action: "createLink",
      input: { linkId: "l", sourceInstanceId: "a", targetInstanceId: "b", mode: "LOGICAL" },
      compensation: { action: "dropLink", input: { linkId: "l" } },
      retry: { maxAttempts: 3, backoffMs: 5000 },
      timeoutMs: 600000,
    },
  ],
};

describe("canonicalJson", () => {
  it("sorts keys at every depth and drops undefined members", () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: undefined } })).toBe('{"a":{"d":[3,{"y":2,"z":1}]},"b":1}');
    expect(canonicalJson({ a: 1, b: 2 })).toBe(canonicalJson({ b: 2, a: 1 }));
  });

  it("keeps array order, writes undefined array items as null and -0 as 0", () => {
    expect(canonicalJson([2, 1, undefined, -0])).toBe("[2,1,null,0]");
  });

  it("escapes strings like JSON", () => {
    expect(canonicalJson({ sql: 'DROP "x";\n' })).toBe('{"sql":"DROP \\"x\\";\\n"}');
  });

  it.each([
    ["NaN", Number.NaN],
    ["Infinity", Number.POSITIVE_INFINITY],
    ["a bigint", 10n],
    ["a Date", new Date(0)],
    ["a Map", new Map()],
    ["a function", () => 1],
  ])("refuses %s", (_label, value) => {
    expect(() => canonicalJson({ value })).toThrow(TypeError);
  });
});

describe("planHash", () => {
  it("is the sha256 hex of the canonical JSON and ignores key order", () => {
    const hash = planHash(plan);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    const reordered = JSON.parse(JSON.stringify({ steps: plan.steps, version: 1, kind: "ADD_LINK" })) as TPlan;
    expect(planHash(reordered)).toBe(hash);
  });

  it("changes when anything a step does changes", () => {
    const base = planHash(plan);
    const variants: ((p: TPlan) => void)[] = [
      (p) => (p.steps[1]!.input.mode = "CDC"),
      (p) => (p.steps[1]!.compensation = { action: "dropLink", input: { linkId: "other" } }),
      (p) => (p.steps[0]!.retry.maxAttempts = 4),
      (p) => (p.steps[0]!.timeoutMs = 1),
      (p) => p.steps.reverse(),
      (p) => (p.steps[0]!.name = "Check the source!"),
    ];
    for (const change of variants) {
      const copy = structuredClone(plan);
      change(copy);
      expect(planHash(copy)).not.toBe(base);
    }
  });
});

describe("derivedId", () => {
  it("is a deterministic uuid that Postgres and zod accept", () => {
    const a = derivedId("request-1", "instance", "payments-eu-01-fra2-r1");
    expect(a).toBe(derivedId("request-1", "instance", "payments-eu-01-fra2-r1"));
    expect(a).not.toBe(derivedId("request-2", "instance", "payments-eu-01-fra2-r1"));
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(z.uuid().safeParse(a).success).toBe(true);
  });

  it("does not confuse part boundaries", () => {
    expect(derivedId("ab", "c")).not.toBe(derivedId("a", "bc"));
  });
});

describe("parsePlan", () => {
  it("accepts a valid plan, including after a round trip through JSON", () => {
    expect(parsePlan(JSON.parse(JSON.stringify(plan)))).toEqual(plan);
  });

  const broken: [string, (p: TPlan) => void, string][] = [
    ["a mutating step without compensation", (p) => (p.steps[1]!.compensation = null), "Step 02-create-link changes something (createLink) and has no compensation"],
    ["an unknown action", (p) => ((p.steps[0] as { action: string }).action = "formatDisk"), 'Unknown action "formatDisk"'],
    ["a duplicate step id", (p) => (p.steps[1]!.id = "01-check-source"), "Step id 01-check-source is used twice"],
    ["a compensation-only action as a step", (p) => (p.steps[0]!.action = "manualIntervention"), "manualIntervention can only be a compensation"],
    ["a malformed step id", (p) => (p.steps[0]!.id = "check source"), "Step id looks like 02-provision-instance"],
    ["another version", (p) => ((p as { version: number }).version = 2), "Plan version must be 1"],
    ["no steps", (p) => (p.steps = []), "A plan has at least one step"],
  ];
  it.each(broken)("refuses %s", (_label, change, message) => {
    const copy = structuredClone(plan);
    change(copy);
    expect(() => parsePlan(copy)).toThrow(PlanIntegrityError);
    expect(() => parsePlan(copy)).toThrow(message);
  });

  it("knows which actions mutate", () => {
    const readOnly = Object.entries(PLAN_ACTIONS).filter(([, s]) => !s.mutates).map(([a]) => a);
    expect(readOnly.sort()).toEqual(
      ["checkCapacity", "checkInstance", "checkLink", "checkReplicaReady", "manualIntervention", "verifyDataCenterEmpty", "verifySchema", "waitForCatchUp", "waitForFenceLsn", "preflightLink", "verifyLink"].sort(),
    );
  });
});

describe("parseApprovedPlan", () => {
  it("returns the plan when the hash matches", () => {
    expect(parseApprovedPlan(plan, planHash(plan))).toEqual(plan);
  });

  it("refuses a plan edited after approval", () => {
    const approved = planHash(plan);
    const edited = structuredClone(plan);
    edited.steps[1]!.input.mode = "CDC";
    expect(() => parseApprovedPlan(edited, approved)).toThrow(/The plan changed after approval: its hash is [0-9a-f]{64}, the approved hash is/);
  });
});
