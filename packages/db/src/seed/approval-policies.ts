import { DataClassification, RiskLevel, Role, type ChangeKind } from "../generated/prisma/client";

/**
 * Default approval policies. A request is routed by the enabled policy with the lowest
 * `priority` among those that match it; a null/empty matcher means "any". `minRisk` matches
 * that risk level and every higher one, so the cross-jurisdiction rules (priority 10..12)
 * win over the plain risk ladder (priority 30..32) for the requests they cover.
 */

/** One stage of approval, as stored in `approval_policy.stages`. */
export type TApprovalStageSeed = {
  name: string;
  role: Role;
  /** "owner": only approvers of the team that owns the cluster; null: anyone with the role. */
  team: "owner" | null;
  /** How many distinct approvers this stage needs. */
  quorum: number;
  /** Stages with the same group run in parallel; groups run in ascending order. */
  parallelGroup: number;
};

export type TApprovalPolicySeed = {
  name: string;
  description: string;
  priority: number;
  kinds: ChangeKind[];
  minRisk: RiskLevel | null;
  classifications: DataClassification[];
  crossesJurisdiction: boolean | null;
  stages: TApprovalStageSeed[];
};

const ownerTeam: TApprovalStageSeed = {
  name: "owner-team",
  role: Role.TEAM_APPROVER,
  team: "owner",
  quorum: 1,
  parallelGroup: 0,
};
const oneDba: TApprovalStageSeed = { name: "dba", role: Role.DBA, team: null, quorum: 1, parallelGroup: 0 };
const twoDbas: TApprovalStageSeed = { name: "dba", role: Role.DBA, team: null, quorum: 2, parallelGroup: 0 };
const compliance: TApprovalStageSeed = {
  name: "compliance",
  role: Role.COMPLIANCE,
  team: null,
  quorum: 1,
  parallelGroup: 1,
};

const regulated: DataClassification[] = [DataClassification.PII, DataClassification.REGULATED];

export const DEFAULT_APPROVAL_POLICIES: readonly TApprovalPolicySeed[] = [
  {
    name: "cross-jurisdiction-personal-data-high",
    description:
      "HIGH or CRITICAL risk changes that move PII or regulated data across jurisdictions: the owner team, two distinct DBAs, then compliance.",
    priority: 10,
    kinds: [],
    minRisk: RiskLevel.HIGH,
    classifications: regulated,
    crossesJurisdiction: true,
    stages: [ownerTeam, twoDbas, compliance],
  },
  {
    name: "cross-jurisdiction-personal-data-medium",
    description:
      "MEDIUM risk changes that move PII or regulated data across jurisdictions: the owner team and a DBA, then compliance.",
    priority: 11,
    kinds: [],
    minRisk: RiskLevel.MEDIUM,
    classifications: regulated,
    crossesJurisdiction: true,
    stages: [ownerTeam, oneDba, compliance],
  },
  {
    name: "cross-jurisdiction-personal-data",
    description: "Any change that moves PII or regulated data across jurisdictions: a DBA, then compliance.",
    priority: 12,
    kinds: [],
    minRisk: null,
    classifications: regulated,
    crossesJurisdiction: true,
    stages: [oneDba, compliance],
  },
  {
    name: "default-high-risk",
    description: "HIGH or CRITICAL risk: the owner team's approver and two distinct DBAs.",
    priority: 30,
    kinds: [],
    minRisk: RiskLevel.HIGH,
    classifications: [],
    crossesJurisdiction: null,
    stages: [ownerTeam, twoDbas],
  },
  {
    name: "default-medium-risk",
    description: "MEDIUM risk: the owner team's approver and a DBA.",
    priority: 31,
    kinds: [],
    minRisk: RiskLevel.MEDIUM,
    classifications: [],
    crossesJurisdiction: null,
    stages: [ownerTeam, oneDba],
  },
  {
    name: "default-low-risk",
    description: "LOW risk: one DBA.",
    priority: 32,
    kinds: [],
    minRisk: RiskLevel.LOW,
    classifications: [],
    crossesJurisdiction: null,
    stages: [oneDba],
  },
];
