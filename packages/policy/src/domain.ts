import { z } from "zod";

/**
 * Domain enums shared by the rules in this package. Each mirrors an enum of the metadata
 * schema (prisma/schema.prisma); `domain.test.ts` reads the schema and fails when they drift.
 */
export const TIERS = ["T0", "T1", "T2", "T3"] as const;
export type TTier = (typeof TIERS)[number];

export const DATA_CLASSIFICATIONS = ["PUBLIC", "INTERNAL", "CONFIDENTIAL", "PII", "REGULATED"] as const;
export type TDataClassification = (typeof DATA_CLASSIFICATIONS)[number];

export const HEALTH_STATUSES = ["UP", "DEGRADED", "DOWN", "UNKNOWN"] as const;
export type THealthStatus = (typeof HEALTH_STATUSES)[number];

export const INSTANCE_ROLES = ["PRIMARY", "REPLICA", "STANDBY"] as const;
export type TInstanceRole = (typeof INSTANCE_ROLES)[number];

export const DATA_CENTER_STATUSES = ["ACTIVE", "DRAINING", "MAINTENANCE", "OFFLINE"] as const;
export type TDataCenterStatus = (typeof DATA_CENTER_STATUSES)[number];

export const REPLICATION_MODES = ["PHYSICAL", "LOGICAL", "CDC"] as const;
export type TReplicationMode = (typeof REPLICATION_MODES)[number];

export const LINK_STATUSES = ["ACTIVE", "CATCHING_UP", "PAUSED", "BROKEN"] as const;
export type TLinkStatus = (typeof LINK_STATUSES)[number];

export const RISK_LEVELS = ["LOW", "MEDIUM", "HIGH", "CRITICAL"] as const;
export type TRiskLevel = (typeof RISK_LEVELS)[number];

export const RESIDENCY_VERDICTS = ["WITHIN_HOME", "CROSSES_WITHIN_POLICY", "BLOCKED"] as const;
export type TResidencyVerdict = (typeof RESIDENCY_VERDICTS)[number];

export const APPROVAL_DECISIONS = ["APPROVE", "REJECT"] as const;
export type TApprovalDecision = (typeof APPROVAL_DECISIONS)[number];

export const ZTierSchema = z.enum(TIERS, { error: `Tier must be one of ${TIERS.join(", ")}` });
export const ZDataClassificationSchema = z.enum(DATA_CLASSIFICATIONS, {
  error: `Classification must be one of ${DATA_CLASSIFICATIONS.join(", ")}`,
});
export const ZRiskLevelSchema = z.enum(RISK_LEVELS, { error: `Risk must be one of ${RISK_LEVELS.join(", ")}` });
export const ZReplicationModeSchema = z.enum(REPLICATION_MODES, {
  error: `Replication mode must be one of ${REPLICATION_MODES.join(", ")}`,
});

/** Position of a risk level: LOW 0 .. CRITICAL 3. */
export function riskRank(level: TRiskLevel): number {
  return RISK_LEVELS.indexOf(level);
}

/** True when `level` is `floor` or worse. */
export function riskAtLeast(level: TRiskLevel, floor: TRiskLevel): boolean {
  return riskRank(level) >= riskRank(floor);
}

/** The worse of two risk levels. */
export function maxRisk(a: TRiskLevel, b: TRiskLevel): TRiskLevel {
  return riskRank(a) >= riskRank(b) ? a : b;
}

/** Classifications whose data crossing a border needs a compliance officer's approval. */
export const SENSITIVE_CLASSIFICATIONS: readonly TDataClassification[] = ["PII", "REGULATED"];

export function isSensitive(classification: TDataClassification): boolean {
  return SENSITIVE_CLASSIFICATIONS.includes(classification);
}

/** T0 is the most critical tier: rank 0 .. T3 rank 3. */
export function tierRank(tier: TTier): number {
  return TIERS.indexOf(tier);
}

/** The more critical of two tiers (T0 beats T1). */
export function mostCriticalTier(a: TTier, b: TTier): TTier {
  return tierRank(a) <= tierRank(b) ? a : b;
}

/** The more sensitive of two classifications (REGULATED beats PII beats CONFIDENTIAL ...). */
export function mostSensitiveClassification(a: TDataClassification, b: TDataClassification): TDataClassification {
  return DATA_CLASSIFICATIONS.indexOf(a) >= DATA_CLASSIFICATIONS.indexOf(b) ? a : b;
}
