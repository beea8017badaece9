import { z } from "zod";

/**
 * Pieces shared by the inventory request schemas: enum values (mirroring the metadata
 * schema's enums; the services check at compile time that they stay in step), paging,
 * ordering and text search.
 */
export const DATA_CENTER_STATUSES = ["ACTIVE", "DRAINING", "MAINTENANCE", "OFFLINE"] as const;
export const HEALTH_STATUSES = ["UP", "DEGRADED", "DOWN", "UNKNOWN"] as const;
export const ENGINES = ["POSTGRESQL", "MYSQL", "MARIADB", "SQLSERVER", "ORACLE"] as const;
export const TIERS = ["T0", "T1", "T2", "T3"] as const;
export const DATA_CLASSIFICATIONS = ["PUBLIC", "INTERNAL", "CONFIDENTIAL", "PII", "REGULATED"] as const;
export const INSTANCE_ROLES = ["PRIMARY", "REPLICA", "STANDBY"] as const;
export const DRIVER_KINDS = ["SIMULATED", "POSTGRES", "MYSQL"] as const;
export const REPLICATION_MODES = ["PHYSICAL", "LOGICAL", "CDC"] as const;
export const LINK_STATUSES = ["ACTIVE", "CATCHING_UP", "PAUSED", "BROKEN"] as const;

export type TDataCenterStatus = (typeof DATA_CENTER_STATUSES)[number];
export type THealthStatus = (typeof HEALTH_STATUSES)[number];
export type TEngine = (typeof ENGINES)[number];
export type TTier = (typeof TIERS)[number];
export type TDataClassification = (typeof DATA_CLASSIFICATIONS)[number];
export type TInstanceRole = (typeof INSTANCE_ROLES)[number];
export type TDriverKind = (typeof DRIVER_KINDS)[number];
export type TReplicationMode = (typeof REPLICATION_MODES)[number];
export type TLinkStatus = (typeof LINK_STATUSES)[number];

export const ZDataCenterStatusSchema = z.enum(DATA_CENTER_STATUSES);
export const ZHealthStatusSchema = z.enum(HEALTH_STATUSES);
export const ZEngineSchema = z.enum(ENGINES);
export const ZTierSchema = z.enum(TIERS);
export const ZDataClassificationSchema = z.enum(DATA_CLASSIFICATIONS);
export const ZInstanceRoleSchema = z.enum(INSTANCE_ROLES);

export const MAX_PAGE_SIZE = 200;
export const DEFAULT_PAGE_SIZE = 50;

/** A code-like filter value (jurisdiction, region, data center code, team slug, cluster name). */
export const ZCodeSchema = z.string().trim().min(1, "Must not be empty").max(128, "At most 128 characters");

/** Fields every list request has. Spread into each list schema. */
export const listRequestShape = {
  page: z.number().int("Page must be a whole number").min(1, "Page starts at 1").default(1),
  pageSize: z
    .number()
    .int("Page size must be a whole number")
    .min(1, "Page size must be at least 1")
    .max(MAX_PAGE_SIZE, `Page size must be at most ${MAX_PAGE_SIZE}`)
    .default(DEFAULT_PAGE_SIZE),
  order: z.enum(["asc", "desc"]).default("asc"),
  /** Case-insensitive text search; blank means no search. */
  q: z
    .string()
    .trim()
    .max(200, "Search text is at most 200 characters")
    .optional()
    .transform((value) => (value ? value : undefined)),
};

export type TSortOrder = "asc" | "desc";

/** Every list procedure returns one page and the total that matched. */
export interface TPage<TItem> {
  items: TItem[];
  total: number;
  page: number;
  pageSize: number;
}
