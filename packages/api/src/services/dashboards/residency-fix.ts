import { Prisma, type PrismaClient } from "@meridian/db";

/** The change that puts a residency finding back in policy. */
export type TResidencyFixKind = "REMOVE_REPLICA" | "REMOVE_LINK" | "MOVE_PRIMARY_REGION";

/**
 * SQL (over `residency_finding f`) choosing the fix: a link outside policy is removed; an
 * instance outside policy is removed when it is a replica, and the primary is moved when it is
 * the primary (a primary cannot be removed).
 */
export const RESIDENCY_FIX_KIND_SQL = Prisma.sql`CASE
  WHEN f.subject = 'LINK' THEN 'REMOVE_LINK'
  WHEN EXISTS (SELECT 1 FROM instance fi WHERE fi.id = f.subject_id AND fi.role = 'PRIMARY') THEN 'MOVE_PRIMARY_REGION'
  ELSE 'REMOVE_REPLICA' END`;

export interface TClusterResidencyFinding {
  id: string;
  subject: "INSTANCE" | "LINK";
  /** The instance or link id. */
  subjectId: string;
  subjectName: string;
  dataCenterCode: string;
  jurisdictionCode: string;
  allowedJurisdictions: string[];
  rule: string;
  detail: string;
  firstSeenAt: Date;
  lastSeenAt: Date;
  fixKind: TResidencyFixKind;
}

/** A cluster's open residency findings, oldest first. */
export function listClusterResidencyFindings(prisma: PrismaClient, clusterId: string): Promise<TClusterResidencyFinding[]> {
  return prisma.$queryRaw<TClusterResidencyFinding[]>`
    SELECT f.id::text AS "id", f.subject::text AS "subject", f.subject_id::text AS "subjectId", f.subject_name AS "subjectName",
           f.data_center_code AS "dataCenterCode", f.jurisdiction_code AS "jurisdictionCode",
           f.allowed_jurisdictions AS "allowedJurisdictions", f.rule AS "rule", f.detail AS "detail",
           f.first_seen_at AS "firstSeenAt", f.last_seen_at AS "lastSeenAt", ${RESIDENCY_FIX_KIND_SQL} AS "fixKind"
      FROM residency_finding f
     WHERE f.cluster_id = ${clusterId}::uuid AND f.resolved_at IS NULL
     ORDER BY f.first_seen_at, f.subject_name`;
}
