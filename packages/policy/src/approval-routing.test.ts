import { describe, expect, it } from "vitest";
import {
  ApprovalRefusedError,
  CHANGE_KINDS,
  DATA_CLASSIFICATIONS,
  DEFAULT_POLICIES,
  PolicyError,
  RESIDENCY_VERDICTS,
  RISK_LEVELS,
  ZApprovalPolicySchema,
  ZApprovalStagesSchema,
  assertCanApprove,
  checkCanApprove,
  evaluateApprovals,
  routeApprovals,
  stagesActorCanApprove,
  type TApprovalRecord,
  type TApprovalRequestState,
  type TApprovalStage,
  type TApprover,
  type TStoredApprovalPolicy,
} from "./index";

// ---------------------------------------------------------------------------
// Routing: every kind x risk x classification x residency verdict
// ---------------------------------------------------------------------------

function rolesOf(stages: readonly TApprovalStage[]): string[] {
  return stages.map((s) => `${s.role}${s.team === "owner" ? "@owner" : ""}x${s.quorum}`).sort();
}

const MATRIX = CHANGE_KINDS.flatMap((kind) =>
  RISK_LEVELS.flatMap((risk) =>
    DATA_CLASSIFICATIONS.flatMap((classification) =>
      RESIDENCY_VERDICTS.map((residency) => [kind, risk, classification, residency] as const),
    ),
  ),
);

describe("routeApprovals with the default policies", () => {
  it.each(MATRIX)("%s, %s risk, %s data, %s", (kind, risk, classification, residency) => {
    const request = {
      kind,
      risk,
      classification,
      crossesJurisdiction: residency === "CROSSES_WITHIN_POLICY",
      residencyVerdict: residency,
    };
    if (residency === "BLOCKED") {
      expect(() => routeApprovals(DEFAULT_POLICIES, request)).toThrow(PolicyError);
      expect(() => routeApprovals(DEFAULT_POLICIES, request)).toThrow("residency policy blocks this change");
      return;
    }
    const high = risk === "HIGH" || risk === "CRITICAL";
    const compliance = residency === "CROSSES_WITHIN_POLICY" && (classification === "PII" || classification === "REGULATED");
    const expected = [
      ...(risk === "LOW" ? [] : ["TEAM_APPROVER@ownerx1"]),
      `DBAx${high ? 2 : 1}`,
      ...(compliance ? ["COMPLIANCEx1"] : []),
    ].sort();

    for (const policies of [DEFAULT_POLICIES, [] as TStoredApprovalPolicy[]]) {
      const route = routeApprovals(policies, request);
      expect(rolesOf(route.stages)).toEqual(expected);
      expect(route.needsCompliance).toBe(compliance);
      expect(route.adjustments).toEqual([]);
      expect(route.fallback).toBe(policies.length === 0);
      expect(route.policyName).toBe(
        `${high ? "high" : risk === "MEDIUM" ? "medium" : "low"}-risk${compliance ? "-crossing-sensitive" : ""}`,
      );
    }

    if (kind === "FAILOVER") {
      const route = routeApprovals(DEFAULT_POLICIES, { ...request, breakGlass: true });
      expect(rolesOf(route.stages)).toEqual(["DBAx1", ...(compliance ? ["COMPLIANCEx1"] : [])].sort());
      expect(route).toMatchObject({ breakGlass: true, reviewAfterwards: true, policyName: "break-glass" });
    } else {
      expect(() => routeApprovals(DEFAULT_POLICIES, { ...request, breakGlass: true })).toThrow(
        "Only FAILOVER may use the break-glass path",
      );
    }
  });
});

const stage = (s: Partial<TApprovalStage> & Pick<TApprovalStage, "name" | "role">): TApprovalStage => ({
  team: null,
  quorum: 1,
  parallelGroup: 0,
  ...s,
});

const policy = (p: Partial<TStoredApprovalPolicy> & Pick<TStoredApprovalPolicy, "name" | "stages">): TStoredApprovalPolicy => ({
  priority: 100,
  kinds: [],
  minRisk: null,
  classifications: [],
  crossesJurisdiction: null,
  enabled: true,
  ...p,
});

describe("routeApprovals with custom policies", () => {
  const req = { kind: "SCHEMA_CHANGE", risk: "LOW", classification: "INTERNAL", crossesJurisdiction: false } as const;

  it("picks the matching enabled policy with the lowest priority number", () => {
    const policies = [
      policy({ name: "catch-all", priority: 100, stages: [stage({ name: "dba", role: "DBA" })] }),
      policy({ name: "schema", priority: 5, kinds: ["SCHEMA_CHANGE"], stages: [stage({ name: "lead", role: "ADMIN" })] }),
      policy({ name: "schema-off", priority: 1, kinds: ["SCHEMA_CHANGE"], enabled: false, stages: [stage({ name: "x", role: "DBA" })] }),
      policy({ name: "failover", priority: 2, kinds: ["FAILOVER"], stages: [stage({ name: "y", role: "DBA" })] }),
      policy({ name: "pii-only", priority: 3, classifications: ["PII"], stages: [stage({ name: "z", role: "DBA" })] }),
      policy({ name: "crossing", priority: 4, crossesJurisdiction: true, stages: [stage({ name: "w", role: "DBA" })] }),
      policy({ name: "medium+", priority: 4, minRisk: "MEDIUM", stages: [stage({ name: "v", role: "DBA" })] }),
    ];
    expect(routeApprovals(policies, req).policyName).toBe("schema");
    expect(routeApprovals(policies, { ...req, kind: "ADD_LINK" }).policyName).toBe("catch-all");
    expect(routeApprovals(policies, { ...req, kind: "FAILOVER" }).policyName).toBe("failover");
    expect(routeApprovals(policies, { ...req, kind: "ADD_LINK", classification: "PII" }).policyName).toBe("pii-only");
    expect(routeApprovals(policies, { ...req, kind: "ADD_LINK", crossesJurisdiction: true }).policyName).toBe("crossing");
    expect(routeApprovals(policies, { ...req, kind: "ADD_LINK", risk: "CRITICAL" }).policyName).toBe("medium+");
  });

  it("raises a single-DBA stage to two approvals for HIGH risk, and says so", () => {
    const policies = [policy({ name: "lax", stages: [stage({ name: "dba", role: "DBA" })] })];
    const route = routeApprovals(policies, { ...req, risk: "HIGH" });
    expect(rolesOf(route.stages)).toEqual(["DBAx2"]);
    expect(route.adjustments).toEqual(['stage "dba" needs 2 approvals: HIGH risk needs two distinct DBAs']);
    expect(policies[0]?.stages).toEqual([stage({ name: "dba", role: "DBA" })]);
  });

  it("adds a DBA stage when a HIGH-risk policy has none", () => {
    const policies = [policy({ name: "team-only", stages: [stage({ name: "team", role: "TEAM_APPROVER", team: "owner" })] })];
    const route = routeApprovals(policies, { ...req, risk: "CRITICAL" });
    expect(rolesOf(route.stages)).toEqual(["DBAx2", "TEAM_APPROVER@ownerx1"]);
    expect(route.adjustments[0]).toContain("CRITICAL risk needs two distinct DBAs");
  });

  it("never lets a policy skip compliance for PII crossing a border", () => {
    const policies = [
      policy({
        name: "sloppy",
        stages: [stage({ name: "compliance", role: "DBA" }), stage({ name: "team", role: "TEAM_APPROVER", parallelGroup: 2 })],
      }),
    ];
    const route = routeApprovals(policies, { ...req, classification: "PII", crossesJurisdiction: true });
    const added = route.stages.find((s) => s.role === "COMPLIANCE");
    expect(added).toEqual({ name: "compliance-2", role: "COMPLIANCE", team: null, quorum: 1, parallelGroup: 2 });
    expect(route.adjustments).toEqual([
      'stage "compliance-2" added: PII data crosses a jurisdiction border and compliance cannot be bypassed',
    ]);
    const internal = routeApprovals(policies, { ...req, classification: "INTERNAL", crossesJurisdiction: true });
    expect(internal.stages.some((s) => s.role === "COMPLIANCE")).toBe(false);
  });

  it("skips a policy whose stages JSON is invalid, reports it and falls back", () => {
    const policies = [policy({ name: "broken", priority: 1, stages: [{ name: "x", role: "VIEWER", quorum: 1 }] })];
    const route = routeApprovals(policies, req);
    expect(route.invalidPolicies).toEqual([{ name: "broken", message: "Leadership (read-only) cannot approve changes" }]);
    expect(route.fallback).toBe(true);
    expect(route.policyName).toBe("low-risk");
  });
});

describe("stage and policy schemas", () => {
  it.each([
    [[], "A policy needs at least one stage"],
    [[{ name: "ok", role: "DBA", quorum: 0 }], "Quorum is at least 1"],
    [[{ name: "ok", role: "DBA", quorum: 1.5 }], "Quorum must be a whole number"],
    [[{ name: "ok", role: "BOSS", quorum: 1 }], "Role must be one of ADMIN, DBA, ENGINEER, TEAM_APPROVER, COMPLIANCE"],
    [[{ name: "ok", role: "VIEWER", quorum: 1 }], "Leadership (read-only) cannot approve changes"],
    [[{ name: "Team Approval", role: "DBA", quorum: 1 }], "Stage name uses lower-case letters, digits and dashes (e.g. team-approval)"],
    [[{ name: "a", role: "DBA", quorum: 1 }, { name: "a", role: "ADMIN", quorum: 1 }], 'Stage name "a" is used twice'],
    [[{ name: "a", role: "DBA", quorum: 1, team: "payments" }], 'Team must be "owner" or null'],
  ])("refuses %j: %s", (stages, message) => {
    const result = ZApprovalStagesSchema.safeParse(stages);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.message)).toContain(message);
  });

  it("accepts every default policy through the admin form schema", () => {
    for (const p of DEFAULT_POLICIES) expect(ZApprovalPolicySchema.parse(p)).toEqual(p);
  });

  it("fills in defaults for a minimal policy", () => {
    expect(ZApprovalPolicySchema.parse({ name: "p", stages: [{ name: "dba", role: "DBA", quorum: 1 }] })).toEqual({
      name: "p",
      description: "",
      priority: 100,
      kinds: [],
      minRisk: null,
      classifications: [],
      crossesJurisdiction: null,
      stages: [{ name: "dba", role: "DBA", team: null, quorum: 1, parallelGroup: 0 }],
      enabled: true,
    });
  });
});

// ---------------------------------------------------------------------------
// Counting approvals and separation of duties
// ---------------------------------------------------------------------------

const TEAM = "team-payments";
const person = (id: string, roles: TApprover["roles"], approverOfTeamIds: string[] = []): TApprover => ({
  id,
  roles,
  approverOfTeamIds,
});
const requester = person("requester", ["ENGINEER", "TEAM_APPROVER", "DBA"], [TEAM]);
const dba1 = person("dba1", ["DBA"]);
const dba2 = person("dba2", ["DBA"]);
const dba3 = person("dba3", ["DBA"]);
const lead = person("lead", ["TEAM_APPROVER"], [TEAM]);
const outsider = person("outsider", ["TEAM_APPROVER"], ["team-search"]);
const leadDba = person("lead-dba", ["TEAM_APPROVER", "DBA"], [TEAM]);
const engineer = person("engineer", ["ENGINEER"], [TEAM]);
const officer = person("officer", ["COMPLIANCE"]);

const HASH = "a".repeat(64);
const OLD = "b".repeat(64);
const HIGH_STAGES = routeApprovals(DEFAULT_POLICIES, {
  kind: "SWITCHOVER",
  risk: "HIGH",
  classification: "PII",
  crossesJurisdiction: true,
}).stages;
const MEDIUM_STAGES = routeApprovals(DEFAULT_POLICIES, {
  kind: "SWITCHOVER",
  risk: "MEDIUM",
  classification: "INTERNAL",
  crossesJurisdiction: false,
}).stages;

const ok = (approver: TApprover, stageName: string, extra: Partial<TApprovalRecord> = {}): TApprovalRecord => ({
  approver,
  stage: stageName,
  decision: "APPROVE",
  planHash: HASH,
  voided: false,
  ...extra,
});
const no = (approver: TApprover, stageName: string, comment = "not now"): TApprovalRecord =>
  ok(approver, stageName, { decision: "REJECT", comment });

const context = { requesterId: requester.id, ownerTeamIds: [TEAM], ownerTeamNames: ["payments"], planHash: HASH };

describe("evaluateApprovals", () => {
  const scenarios: [string, TApprovalStage[], "MEDIUM" | "HIGH", TApprovalRecord[], string, Record<string, string[]>, string[]][] = [
    ["nothing yet", HIGH_STAGES, "HIGH", [], "PENDING", {}, []],
    [
      "team approver, two DBAs and compliance",
      HIGH_STAGES,
      "HIGH",
      [ok(lead, "team-approval"), ok(dba1, "dba-review"), ok(officer, "compliance"), ok(dba2, "dba-review")],
      "APPROVED",
      { "team-approval": ["lead"], "dba-review": ["dba1", "dba2"], compliance: ["officer"] },
      [],
    ],
    [
      "the same DBA twice counts once",
      HIGH_STAGES,
      "HIGH",
      [ok(lead, "team-approval"), ok(dba1, "dba-review"), ok(dba1, "dba-review"), ok(officer, "compliance")],
      "PENDING",
      { "team-approval": ["lead"], "dba-review": ["dba1"], compliance: ["officer"] },
      ["already approved this request: one person counts once"],
    ],
    [
      "one person in two stages counts once",
      HIGH_STAGES,
      "HIGH",
      [ok(leadDba, "team-approval"), ok(leadDba, "dba-review"), ok(dba1, "dba-review"), ok(officer, "compliance")],
      "PENDING",
      { "team-approval": ["lead-dba"], "dba-review": ["dba1"], compliance: ["officer"] },
      ["already approved this request: one person counts once"],
    ],
    [
      "the requester never counts, even when qualified",
      MEDIUM_STAGES,
      "MEDIUM",
      [ok(requester, "team-approval"), ok(requester, "dba-review"), ok(dba1, "dba-review")],
      "PENDING",
      { "dba-review": ["dba1"] },
      ["requester cannot approve own request", "requester cannot approve own request"],
    ],
    [
      "voided approvals and approvals of an older plan do not count",
      MEDIUM_STAGES,
      "MEDIUM",
      [ok(lead, "team-approval", { voided: true }), ok(dba1, "dba-review", { planHash: OLD }), ok(dba2, "dba-review")],
      "PENDING",
      { "dba-review": ["dba2"] },
      ["voided: the plan changed after this decision", "given for an earlier plan"],
    ],
    [
      "a rejection ends the request even after approvals",
      MEDIUM_STAGES,
      "MEDIUM",
      [ok(lead, "team-approval"), ok(dba1, "dba-review"), no(dba2, "dba-review")],
      "REJECTED",
      { "team-approval": ["lead"], "dba-review": ["dba1"] },
      [],
    ],
    [
      "a rejection by someone not qualified is ignored",
      MEDIUM_STAGES,
      "MEDIUM",
      [no(outsider, "team-approval"), ok(lead, "team-approval"), ok(dba1, "dba-review")],
      "APPROVED",
      { "team-approval": ["lead"], "dba-review": ["dba1"] },
      ["not an approver of team payments"],
    ],
    [
      "an approver of another team and a plain engineer do not count",
      MEDIUM_STAGES,
      "MEDIUM",
      [ok(outsider, "team-approval"), ok(engineer, "dba-review"), ok(dba1, "ghost-stage")],
      "PENDING",
      {},
      ["not an approver of team payments", "role DBA required", 'no stage named "ghost-stage" on this request'],
    ],
    [
      "extra approvals beyond the quorum are not counted",
      MEDIUM_STAGES,
      "MEDIUM",
      [ok(lead, "team-approval"), ok(dba1, "dba-review"), ok(dba2, "dba-review")],
      "APPROVED",
      { "team-approval": ["lead"], "dba-review": ["dba1"] },
      ['stage "dba-review" already had its 1 approval'],
    ],
    [
      "HIGH risk with a one-DBA stage still needs a second distinct DBA",
      MEDIUM_STAGES,
      "HIGH",
      [ok(lead, "team-approval"), ok(dba1, "dba-review")],
      "PENDING",
      { "team-approval": ["lead"], "dba-review": ["dba1"] },
      [],
    ],
  ];

  it.each(scenarios)("%s", (_label, stages, risk, approvals, overall, approvedBy, ignored) => {
    const result = evaluateApprovals(stages, approvals, { ...context, risk });
    expect(result.overall).toBe(overall);
    for (const s of result.stages) expect(s.approvedBy, s.name).toEqual(approvedBy[s.name] ?? []);
    expect(result.ignored.map((i) => i.reason)).toEqual(ignored);
    if (overall === "PENDING") expect(result.waitingFor.length).toBeGreaterThan(0);
    if (overall === "APPROVED") expect(result.waitingFor).toEqual([]);
  });

  it("says what is missing, including the two-DBA rule", () => {
    const result = evaluateApprovals(MEDIUM_STAGES, [ok(lead, "team-approval"), ok(dba1, "dba-review")], {
      ...context,
      risk: "HIGH",
    });
    expect(result.waitingFor).toEqual(["HIGH risk needs two distinct DBAs (1 so far)"]);
    const empty = evaluateApprovals(HIGH_STAGES, [], { ...context, risk: "HIGH" });
    expect(empty.waitingFor).toEqual([
      '1 more approval in stage "team-approval" (Team approver of the owning team)',
      '2 more approvals in stage "dba-review" (DBA)',
      '1 more approval in stage "compliance" (Compliance officer)',
      "HIGH risk needs two distinct DBAs (0 so far)",
    ]);
    expect(empty.stages.map((s) => s.needed)).toEqual([1, 2, 1]);
  });

  it("reports who rejected and why", () => {
    const result = evaluateApprovals(MEDIUM_STAGES, [no(dba1, "dba-review", "lag too high")], { ...context, risk: "MEDIUM" });
    expect(result.rejectedBy).toEqual({ approverId: "dba1", stage: "dba-review", comment: "lag too high" });
  });

  it("lets one DBA approve a break-glass failover", () => {
    const stages = routeApprovals([], {
      kind: "FAILOVER",
      risk: "CRITICAL",
      classification: "PII",
      crossesJurisdiction: false,
      breakGlass: true,
    }).stages;
    expect(evaluateApprovals(stages, [ok(dba1, "break-glass-dba")], { ...context, risk: "CRITICAL", breakGlass: true }).overall).toBe(
      "APPROVED",
    );
    expect(evaluateApprovals(stages, [ok(requester, "break-glass-dba")], { ...context, risk: "CRITICAL", breakGlass: true }).overall).toBe(
      "PENDING",
    );
  });

  it("never approves a request without a plan or without stages", () => {
    expect(evaluateApprovals(MEDIUM_STAGES, [ok(lead, "team-approval"), ok(dba1, "dba-review")], { ...context, planHash: null, risk: "MEDIUM" }).overall).toBe(
      "PENDING",
    );
    expect(evaluateApprovals([], [], { ...context, risk: "LOW" }).overall).toBe("PENDING");
  });

  it("opens a later parallel group only when earlier groups are satisfied", () => {
    const stages = [stage({ name: "team", role: "TEAM_APPROVER", team: "owner" }), stage({ name: "dba", role: "DBA", parallelGroup: 1 })];
    expect(evaluateApprovals(stages, [], { ...context, risk: "LOW" }).stages.map((s) => s.open)).toEqual([true, false]);
    expect(evaluateApprovals(stages, [ok(lead, "team")], { ...context, risk: "LOW" }).stages.map((s) => s.open)).toEqual([true, true]);
  });
});

describe("checkCanApprove", () => {
  const pending = (over: Partial<TApprovalRequestState> = {}): TApprovalRequestState => ({
    ...context,
    risk: "HIGH",
    status: "PENDING_APPROVAL",
    stages: HIGH_STAGES,
    approvals: [],
    ...over,
  });

  const refusals: [string, TApprover, TApprovalRequestState, string, string, string][] = [
    ["requester", requester, pending(), "dba-review", "REQUESTER_CANNOT_APPROVE", "requester cannot approve own request"],
    ["twice", dba1, pending({ approvals: [ok(dba1, "dba-review")] }), "dba-review", "ALREADY_ACTED", "already approved this request"],
    [
      "in another stage after approving",
      leadDba,
      pending({ approvals: [ok(leadDba, "team-approval")] }),
      "dba-review",
      "ALREADY_ACTED",
      "already approved this request",
    ],
    ["after rejecting", dba1, pending({ approvals: [no(dba1, "dba-review")] }), "dba-review", "ALREADY_ACTED", "already rejected this request"],
    ["without the role", engineer, pending(), "dba-review", "ROLE_REQUIRED", "role DBA required"],
    ["for another team", outsider, pending(), "team-approval", "NOT_TEAM_APPROVER", "not an approver of team payments"],
    ["compliance without the role", dba1, pending(), "compliance", "ROLE_REQUIRED", "role COMPLIANCE required"],
    ["an unknown stage", dba1, pending(), "ceo", "UNKNOWN_STAGE", 'no stage named "ceo" on this request'],
    ["a draft", dba1, pending({ status: "DRAFT" }), "dba-review", "NOT_PENDING", "the request is draft, not waiting for approval"],
    ["an approved request", dba1, pending({ status: "APPROVED" }), "dba-review", "NOT_PENDING", "the request is approved, not waiting for approval"],
    ["without a plan", dba1, pending({ planHash: null }), "dba-review", "NO_PLAN", "the request has no plan to approve"],
    [
      "a full stage",
      dba3,
      pending({ approvals: [ok(dba1, "dba-review"), ok(dba2, "dba-review")] }),
      "dba-review",
      "STAGE_SATISFIED",
      'stage "dba-review" already has its 2 approvals',
    ],
  ];

  it.each(refusals)("refuses %s", (_label, actor, request, stageName, code, reason) => {
    expect(checkCanApprove(actor, request, stageName)).toEqual({ ok: false, code, reason });
    expect(() => assertCanApprove(actor, request, stageName)).toThrow(ApprovalRefusedError);
    expect(() => assertCanApprove(actor, request, stageName)).toThrow(reason);
  });

  it("maps refusals to FORBIDDEN or CONFLICT", () => {
    const codeOf = (fn: () => void) => {
      try {
        fn();
        return null;
      } catch (e) {
        return (e as PolicyError).code;
      }
    };
    expect(codeOf(() => assertCanApprove(requester, pending(), "dba-review"))).toBe("FORBIDDEN");
    expect(codeOf(() => assertCanApprove(dba1, pending({ approvals: [ok(dba1, "dba-review")] }), "dba-review"))).toBe("CONFLICT");
    expect(codeOf(() => assertCanApprove(dba1, pending(), "dba-review"))).toBe(null);
  });

  it("lets a qualified person approve again after the plan changed", () => {
    const request = pending({ approvals: [ok(dba1, "dba-review", { voided: true })] });
    expect(checkCanApprove(dba1, request, "dba-review")).toEqual({ ok: true });
  });

  it("accepts a veto in a stage that already has its approvals", () => {
    const request = pending({ approvals: [ok(dba1, "dba-review"), ok(dba2, "dba-review")] });
    expect(checkCanApprove(dba3, request, "dba-review", "REJECT")).toEqual({ ok: true });
  });

  it("keeps later groups closed until earlier ones are approved", () => {
    const stages = [stage({ name: "team", role: "TEAM_APPROVER", team: "owner" }), stage({ name: "dba", role: "DBA", parallelGroup: 1 })];
    expect(checkCanApprove(dba1, pending({ stages }), "dba")).toEqual({
      ok: false,
      code: "STAGE_NOT_OPEN",
      reason: 'stage "dba" opens after "team" is approved',
    });
    expect(checkCanApprove(dba1, pending({ stages, approvals: [ok(lead, "team")] }), "dba")).toEqual({ ok: true });
  });

  it("lists the stages each person could act in", () => {
    const request = pending({ approvals: [ok(dba1, "dba-review")] });
    expect(stagesActorCanApprove(lead, request)).toEqual(["team-approval"]);
    expect(stagesActorCanApprove(leadDba, request)).toEqual(["team-approval", "dba-review"]);
    expect(stagesActorCanApprove(officer, request)).toEqual(["compliance"]);
    expect(stagesActorCanApprove(dba1, request)).toEqual([]);
    expect(stagesActorCanApprove(requester, request)).toEqual([]);
    expect(stagesActorCanApprove(person("boss", ["VIEWER"]), request)).toEqual([]);
  });
});
