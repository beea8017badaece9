import { Prisma, type PrismaClient } from "@meridian/db";

/** The change that puts a residency finding back in policy. */
export type TResidencyFixKind = "REMOVE_REPLICA" | "REMOVE_LINK" | "MOVE_PRIMARY_REGION";

/**
 * A LATERAL join (over `residency_finding f`) giving `fix.kind` and `fix.target_id`, the change
 * that puts the finding back in policy and the id it names:
 * - an instance outside policy: REMOVE_REPLICA of it, or MOVE_PRIMARY_REGION (no id: the
 *   requester picks the data center) when it is the primary, which cannot be removed;
 * - a link outside policy: REMOVE_LINK, unless it is the only link into a replica of the same
 *   cluster, which the planner refuses ("remove the replica instead"): then REMOVE_REPLICA of
 *   that replica.
 */
export const RESIDENCY_FIX_JOIN_SQL = Prisma.sql`LEFT JOIN LATERAL (
  SELECT CASE WHEN f.subject = 'LINK' AND COALESCE(lt.sole, false) THEN 'REMOVE_REPLICA'
              WHEN f.subject = 'LINK' THEN 'REMOVE_LINK'
              WHEN fi.role = 'PRIMARY' THEN 'MOVE_PRIMARY_REGION'
              ELSE 'REMOVE_REPLICA' END AS kind,
         CASE WHEN f.subject = 'LINK' AND COALESCE(lt.sole, false) THEN lt.target_id::text
              WHEN fi.role = 'PRIMARY' THEN NULL
              ELSE f.subject_id::text END AS target_id
    FROM (SELECT 1) one
    LEFT JOIN instance fi ON f.subject = 'INSTANCE' AND fi.id = f.subject_id
    LEFT JOIN LATERAL (
      SELECT fl.target_id,
             (ft.cluster_id = f.cluster_id AND ft.role <> 'PRIMARY'
               AND NOT EXISTS (SELECT 1 FROM replication_link o WHERE o.target_id = fl.target_id AND o.id <> fl.id)) AS sole
        FROM replication_link fl JOIN instance ft ON ft.id = fl.target_id
       WHERE f.subject = 'LINK' AND fl.id = f.subject_id) lt ON true
) fix ON true`;

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
  /** The id the fix names: the instance to remove, the link to remove; null when moving the primary. */
  fixTargetId: string | null;
}

/** A cluster's open residency findings, oldest first. */
export function listClusterResidencyFindings(prisma: PrismaClient, clusterId: string): Promise<TClusterResidencyFinding[]> {
  return prisma.$queryRaw<TClusterResidencyFinding[]>`
    SELECT f.id::text AS "id", f.subject::text AS "subject", f.subject_id::text AS "subjectId", f.subject_name AS "subjectName",
           f.data_center_code AS "dataCenterCode", f.jurisdiction_code AS "jurisdictionCode",
           f.allowed_jurisdictions AS "allowedJurisdictions", f.rule AS "rule", f.detail AS "detail",
           f.first_seen_at AS "firstSeenAt", f.last_seen_at AS "lastSeenAt", fix.kind AS "fixKind", fix.target_id AS "fixTargetId"
      FROM residency_finding f
      ${RESIDENCY_FIX_JOIN_SQL}
     WHERE f.cluster_id = ${clusterId}::uuid AND f.resolved_at IS NULL
     ORDER BY f.first_seen_at, f.subject_name`;
}
