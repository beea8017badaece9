import { Prisma, type PrismaClient } from "@meridian/db";
import { type TDashboardFilter } from "../../routers/dashboards/dashboard.schema";
import { RESIDENCY_FIX_JOIN_SQL, type TResidencyFixKind } from "./residency-fix";
import { cachedDashboard, dashboardCacheKey } from "./result-cache";
import { inventoryScope, resolveWindow, type TDashboardWindow } from "./window";

export interface TResidencyFindingView {
  id: string;
  clusterName: string;
  teamSlug: string | null;
  subject: "INSTANCE" | "LINK";
  subjectName: string;
  dataCenterCode: string;
  jurisdictionCode: string;
  allowedJurisdictions: string[];
  rule: string;
  detail: string;
  firstSeenAt: Date;
  lastSeenAt: Date;
  clusterId: string;
  /** The instance or link id. */
  subjectId: string;
  /** The change that fixes it ("file a change to fix it"). */
  fixKind: TResidencyFixKind;
  /** The id the fix names (instance or link); null when moving the primary. */
  fixTargetId: string | null;
}

export interface TJurisdictionPair {
  from: string;
  to: string;
  links: number;
  /** Of those, links that break the source cluster's residency policy. */
  outOfPolicy: number;
}

export interface TBlockedRequest {
  number: number;
  title: string;
  kind: string;
  clusterName: string | null;
  rule: string | null;
  createdAt: Date;
}

export interface TResidencyPosture {
  window: TDashboardWindow;
  openFindings: TResidencyFindingView[];
  openFindingCount: number;
  /** Clusters with at least one open finding. */
  clustersOutOfPolicy: number;
  /** Cross-jurisdiction replication links now, by (source jurisdiction, target jurisdiction). */
  matrix: TJurisdictionPair[];
  jurisdictions: string[];
  blocked: TBlockedRequest[];
  blockedCount: number;
  /** Blocked requests grouped by the rule that blocked them (its name, before the colon). */
  blockedByRule: { rule: string; count: number }[];
  generatedAt: Date;
}

export function openFindingsSql(filter: TDashboardFilter): Prisma.Sql {
  const parts: Prisma.Sql[] = [];
  if (filter.team) parts.push(Prisma.sql`t.slug = ${filter.team}`);
  if (filter.region) parts.push(Prisma.sql`dc.region_code = ${filter.region}`);
  return Prisma.sql`
    SELECT f.id::text AS "id", c.name AS "clusterName", t.slug AS "teamSlug", f.subject::text AS "subject",
           f.subject_name AS "subjectName", f.data_center_code AS "dataCenterCode", f.jurisdiction_code AS "jurisdictionCode",
           f.allowed_jurisdictions AS "allowedJurisdictions", f.rule AS "rule", f.detail AS "detail",
           f.first_seen_at AS "firstSeenAt", f.last_seen_at AS "lastSeenAt",
           f.cluster_id::text AS "clusterId", f.subject_id::text AS "subjectId", fix.kind AS "fixKind", fix.target_id AS "fixTargetId"
      FROM residency_finding f
      JOIN cluster c ON c.id = f.cluster_id
      JOIN team t ON t.id = c.team_id
      LEFT JOIN data_center dc ON dc.code = f.data_center_code
      ${RESIDENCY_FIX_JOIN_SQL}
     WHERE f.resolved_at IS NULL ${parts.length ? Prisma.sql`AND ${Prisma.join(parts, " AND ")}` : Prisma.empty}
     ORDER BY f.first_seen_at, c.name, f.subject_name`;
}

export function jurisdictionMatrixSql(filter: TDashboardFilter): Prisma.Sql {
  return Prisma.sql`
    SELECT sdc.jurisdiction_code AS "from", dc.jurisdiction_code AS "to", count(*)::int AS "links",
           (count(*) FILTER (WHERE NOT (dc.jurisdiction_code = c.home_jurisdiction_code OR dc.jurisdiction_code = ANY(c.allowed_jurisdictions))))::int AS "outOfPolicy"
      FROM replication_link l
      JOIN instance si ON si.id = l.source_id
      JOIN cluster c ON c.id = si.cluster_id
      JOIN data_center sdc ON sdc.id = si.data_center_id
      JOIN instance ti ON ti.id = l.target_id
      JOIN data_center dc ON dc.id = ti.data_center_id
     WHERE sdc.jurisdiction_code <> dc.jurisdiction_code ${inventoryScope(filter)}
     GROUP BY 1, 2
     ORDER BY 1, 2`;
}

export function blockedRequestsSql(filter: TDashboardFilter, w: TDashboardWindow): Prisma.Sql {
  return Prisma.sql`
    SELECT cr.number AS "number", cr.title AS "title", cr.kind::text AS "kind", c.name AS "clusterName",
           cr.residency_rule AS "rule", cr.created_at AS "createdAt"
      FROM change_request cr
      LEFT JOIN cluster c ON c.id = cr.cluster_id
      LEFT JOIN team t ON t.id = c.team_id
     WHERE cr.status = 'BLOCKED' AND cr.created_at >= ${w.from} AND cr.created_at < ${w.to}
           ${filter.team ? Prisma.sql`AND t.slug = ${filter.team}` : Prisma.empty}
     ORDER BY cr.created_at DESC, cr.number DESC`;
}

/** Cached for a few seconds per filter (result-cache.ts); pass `now` to compute afresh at that time. */
export function getResidencyPosture(prisma: PrismaClient, filter: TDashboardFilter, now?: Date): Promise<TResidencyPosture> {
  if (now) return computeResidencyPosture(prisma, filter, now);
  return cachedDashboard(prisma, dashboardCacheKey("residencyPosture", filter), () => computeResidencyPosture(prisma, filter, new Date()));
}

export async function computeResidencyPosture(prisma: PrismaClient, filter: TDashboardFilter, now: Date): Promise<TResidencyPosture> {
  const w = resolveWindow(filter, now);
  const [findings, matrix, blocked] = await Promise.all([
    prisma.$queryRaw<TResidencyFindingView[]>(openFindingsSql(filter)),
    prisma.$queryRaw<TJurisdictionPair[]>(jurisdictionMatrixSql(filter)),
    prisma.$queryRaw<TBlockedRequest[]>(blockedRequestsSql(filter, w)),
  ]);
  const rules = new Map<string, number>();
  for (const b of blocked) {
    const rule = (b.rule ?? "unknown rule").split(":")[0]!.trim();
    rules.set(rule, (rules.get(rule) ?? 0) + 1);
  }
  return {
    window: w,
    openFindings: findings.slice(0, 200),
    openFindingCount: findings.length,
    clustersOutOfPolicy: new Set(findings.map((f) => f.clusterName)).size,
    matrix,
    jurisdictions: [...new Set(matrix.flatMap((m) => [m.from, m.to]))].sort(),
    blocked: blocked.slice(0, 50),
    blockedCount: blocked.length,
    blockedByRule: [...rules.entries()].map(([rule, count]) => ({ rule, count })).sort((a, b) => b.count - a.count),
    generatedAt: now,
  };
}
