import { Prisma, type PrismaClient } from "@meridian/db";
import { AppError } from "../../errors";
import {
  type TDataCenterStatus,
  type TDataClassification,
  type TDriverKind,
  type TEngine,
  type THealthStatus,
  type TInstanceRole,
  type TPage,
  type TTier,
} from "../../routers/inventory/inventory.schema";
import { type TListClustersRequest } from "../../routers/inventory/list-clusters.schema";
import { listClusterResidencyFindings, type TClusterResidencyFinding } from "../dashboards/residency-fix";
import { healthCountsFrom, rollupHealth, type THealthCounts } from "./health";
import { isUuid, LINK_SELECT, toLinkView, type TReplicationLinkView } from "./links";
import {
  CLASSIFICATION_RANK_SQL,
  containsPattern,
  HEALTH_RANK_SQL,
  healthRollupSql,
  aggregatedPageSql,
  orderBy,
  pageFirstSql,
  runListSql,
  type TListSql,
} from "./sql";

export interface TClusterListItem {
  id: string;
  name: string;
  engine: TEngine;
  engineVersion: string;
  tier: TTier;
  classification: TDataClassification;
  homeJurisdictionCode: string;
  allowedJurisdictions: string[];
  teamSlug: string;
  teamName: string;
  instanceCount: number;
  dataCenterCount: number;
  /** Where the primary runs; null when the cluster has no primary. */
  primaryDataCenterCode: string | null;
  primaryDataCenterName: string | null;
  /** Worst replication lag into any of the cluster's instances; null without links. */
  maxLagSeconds: number | null;
  maxLagBytes: number | null;
  linkCount: number;
  brokenLinkCount: number;
  healthCounts: THealthCounts;
  health: THealthStatus;
}

interface TClusterRow extends Omit<TClusterListItem, "healthCounts"> {
  up: number;
  degraded: number;
  down: number;
  unknown: number;
  total: number;
}

/** Sort keys whose columns are never null (ordered plainly: an index can serve them). */
const NOT_NULL_SORTS = new Set<TListClustersRequest["sort"]>(["name", "team", "engine", "tier", "classification", "jurisdiction"]);

const SORT_EXPRESSIONS: Record<TListClustersRequest["sort"], string | string[]> = {
  name: `s."name"`,
  team: [`s."teamName"`, `s."name"`],
  engine: [`s."engine"`, `s."engineVersion"`],
  tier: `s."tier"`,
  classification: CLASSIFICATION_RANK_SQL(`s."classification"`),
  jurisdiction: `s."homeJurisdictionCode"`,
  instances: `s."instanceCount"`,
  dataCenters: `s."dataCenterCount"`,
  primaryDataCenter: `s."primaryDataCenterCode"`,
  lag: `s."maxLagSeconds"`,
  health: [HEALTH_RANK_SQL(`s."health"`), `s."down"`, `s."degraded"`],
};

/** One page of clusters with team, instance counts, the primary's data center, worst link lag and health roll-up. */
export async function listClusters(prisma: PrismaClient, input: TListClustersRequest): Promise<TPage<TClusterListItem>> {
  const { rows, total } = await runListSql<TClusterRow>(prisma, (limit, offset) => listClustersSql(input, limit, offset), input.page, input.pageSize);
  return {
    items: rows.map(({ up, degraded, down, unknown, ...rest }) => ({ ...rest, healthCounts: { up, degraded, down, unknown } })),
    total,
    page: input.page,
    pageSize: input.pageSize,
  };
}

/** Sorts and filters on the per-cluster aggregates: every cluster's aggregates are computed for them. */
const AGGREGATE_SORTS = new Set<TListClustersRequest["sort"]>(["instances", "dataCenters", "primaryDataCenter", "lag", "health"]);

/** Per-cluster aggregates over its instances (`a`) and over the links into them (`g`), as select lists. */
const INSTANCE_AGGREGATES = Prisma.sql`
             count(*)::int AS instances,
             count(DISTINCT i.data_center_id)::int AS data_centers,
             (count(*) FILTER (WHERE i.health = 'UP'))::int AS up,
             (count(*) FILTER (WHERE i.health = 'DEGRADED'))::int AS degraded,
             (count(*) FILTER (WHERE i.health = 'DOWN'))::int AS down,
             (count(*) FILTER (WHERE i.health = 'UNKNOWN'))::int AS unknown,
             bool_or(i.role = 'PRIMARY' AND i.health = 'DOWN') AS primary_down,
             (array_agg(d.code ORDER BY d.code) FILTER (WHERE i.role = 'PRIMARY'))[1] AS primary_dc_code,
             (array_agg(d.name ORDER BY d.code) FILTER (WHERE i.role = 'PRIMARY'))[1] AS primary_dc_name`;
const LINK_AGGREGATES = Prisma.sql`
             max(l.lag_seconds) AS max_lag_seconds,
             max(l.lag_bytes)::float8 AS max_lag_bytes,
             count(*)::int AS links,
             (count(*) FILTER (WHERE l.status = 'BROKEN'))::int AS broken_links`;

/**
 * The statements behind `listClusters` for one page (exported for the benchmark's raw-SQL
 * baseline). Sorted by a cluster column (name, team, engine, ...), the page is found first
 * (through the name index for the default order) and only its clusters are aggregated, with a
 * separate count; sorted or filtered by an aggregate (instances, lag, health ...), instances and
 * links are each aggregated once for every cluster (GROUP BY), never per row.
 */
export function listClustersSql(input: TListClustersRequest, limit: number, offset: number): TListSql {
  const where: Prisma.Sql[] = [];
  if (input.q) {
    const p = containsPattern(input.q);
    where.push(Prisma.sql`(s."name" ILIKE ${p} OR s."teamName" ILIKE ${p} OR s."teamSlug" ILIKE ${p})`);
  }
  if (input.team) where.push(Prisma.sql`s."teamSlug" = ${input.team}`);
  if (input.engine) where.push(Prisma.sql`s."engine" = ${input.engine}`);
  if (input.tier) where.push(Prisma.sql`s."tier" = ${input.tier}`);
  if (input.classification) where.push(Prisma.sql`s."classification" = ${input.classification}`);
  if (input.jurisdiction) where.push(Prisma.sql`s."homeJurisdictionCode" = ${input.jurisdiction}`);
  if (input.health) where.push(Prisma.sql`s."health" = ${input.health}`);
  if (input.dataCenter) {
    where.push(Prisma.sql`EXISTS (
      SELECT 1 FROM instance fi JOIN data_center fd ON fd.id = fi.data_center_id
       WHERE fi.cluster_id = s."id"::uuid AND fd.code = ${input.dataCenter})`);
  }
  if (input.region) {
    where.push(Prisma.sql`EXISTS (
      SELECT 1 FROM instance fi JOIN data_center fd ON fd.id = fi.data_center_id
       WHERE fi.cluster_id = s."id"::uuid AND fd.region_code = ${input.region})`);
  }

  const rollup = healthRollupSql({
    up: "COALESCE(a.up, 0)",
    degraded: "COALESCE(a.degraded, 0)",
    down: "COALESCE(a.down, 0)",
    primaryDown: "COALESCE(a.primary_down, false)",
  });
  const clusterColumns = Prisma.sql`
               c.id::text AS "id", c.name AS "name", c.engine::text AS "engine",
               c.engine_version AS "engineVersion", c.tier::text AS "tier",
               c.classification::text AS "classification",
               c.home_jurisdiction_code AS "homeJurisdictionCode",
               c.allowed_jurisdictions::text[] AS "allowedJurisdictions",
               t.slug AS "teamSlug", t.name AS "teamName"`;
  const aggregateColumns = Prisma.sql`
               COALESCE(a.instances, 0) AS "instanceCount",
               COALESCE(a.data_centers, 0) AS "dataCenterCount",
               a.primary_dc_code AS "primaryDataCenterCode",
               a.primary_dc_name AS "primaryDataCenterName",
               g.max_lag_seconds AS "maxLagSeconds",
               g.max_lag_bytes AS "maxLagBytes",
               COALESCE(g.links, 0) AS "linkCount",
               COALESCE(g.broken_links, 0) AS "brokenLinkCount",
               COALESCE(a.up, 0) AS "up", COALESCE(a.degraded, 0) AS "degraded",
               COALESCE(a.down, 0) AS "down", COALESCE(a.unknown, 0) AS "unknown",
               ${Prisma.raw(rollup)} AS "health"`;
  const order = orderBy(SORT_EXPRESSIONS[input.sort], input.order, `s."name" ASC`, { notNull: NOT_NULL_SORTS.has(input.sort) });

  if (!AGGREGATE_SORTS.has(input.sort) && !input.health) {
    return pageFirstSql({
      rows: Prisma.sql`SELECT ${clusterColumns} FROM cluster c JOIN team t ON t.id = c.team_id`,
      where,
      order,
      limit,
      offset,
      columns: aggregateColumns,
      perRow: Prisma.sql`
        LEFT JOIN LATERAL (
          SELECT ${INSTANCE_AGGREGATES}
            FROM instance i JOIN data_center d ON d.id = i.data_center_id
           WHERE i.cluster_id = s."id"::uuid) a ON TRUE
        LEFT JOIN LATERAL (
          SELECT ${LINK_AGGREGATES}
            FROM instance t JOIN replication_link l ON l.target_id = t.id
           WHERE t.cluster_id = s."id"::uuid) g ON TRUE`,
      table: "cluster",
    });
  }
  return aggregatedPageSql({
    ctes: Prisma.sql`
      agg AS (
        SELECT i.cluster_id, ${INSTANCE_AGGREGATES}
          FROM instance i JOIN data_center d ON d.id = i.data_center_id
         GROUP BY i.cluster_id
      ), lag AS (
        SELECT t.cluster_id, ${LINK_AGGREGATES}
          FROM replication_link l JOIN instance t ON t.id = l.target_id
         GROUP BY t.cluster_id
      )`,
    rows: Prisma.sql`
      SELECT ${clusterColumns}, ${aggregateColumns}
        FROM cluster c
        JOIN team t ON t.id = c.team_id
        LEFT JOIN agg a ON a.cluster_id = c.id
        LEFT JOIN lag g ON g.cluster_id = c.id`,
    where,
    order,
    limit,
    offset,
  });
}

export interface TClusterInstance {
  id: string;
  name: string;
  role: TInstanceRole;
  health: THealthStatus;
  driver: TDriverKind;
  endpoint: string;
  version: string;
  updatedAt: Date;
  dataCenter: {
    code: string;
    name: string;
    city: string;
    country: string;
    regionCode: string;
    jurisdictionCode: string;
    status: TDataCenterStatus;
  };
  /** Worst lag of the links replicating into this instance; null when none does. */
  maxLagSeconds: number | null;
  maxLagBytes: number | null;
}

export interface TClusterDetail {
  id: string;
  name: string;
  engine: TEngine;
  engineVersion: string;
  tier: TTier;
  classification: TDataClassification;
  description: string;
  team: { id: string; slug: string; name: string };
  homeJurisdiction: { code: string; name: string };
  allowedJurisdictions: string[];
  rpoSeconds: number;
  rtoSeconds: number;
  createdAt: Date;
  updatedAt: Date;
  healthCounts: THealthCounts;
  health: THealthStatus;
  instances: TClusterInstance[];
  links: TReplicationLinkView[];
  /** Open residency findings: instances and links placing this cluster's data outside its allowed jurisdictions. */
  residencyFindings: TClusterResidencyFinding[];
}

export async function getCluster(prisma: PrismaClient, ref: string): Promise<TClusterDetail> {
  const cluster = await prisma.cluster.findFirst({
    where: isUuid(ref) ? { OR: [{ id: ref }, { name: ref }] } : { name: ref },
    include: {
      team: { select: { id: true, slug: true, name: true } },
      homeJurisdiction: { select: { code: true, name: true } },
    },
  });
  if (!cluster) throw new AppError("NOT_FOUND", `No cluster named "${ref}"`);

  const [instances, links, residencyFindings] = await Promise.all([
    prisma.instance.findMany({
      where: { clusterId: cluster.id },
      orderBy: [{ role: "asc" }, { name: "asc" }],
      select: {
        id: true,
        name: true,
        role: true,
        health: true,
        driver: true,
        endpoint: true,
        version: true,
        updatedAt: true,
        dataCenter: {
          select: {
            code: true,
            name: true,
            city: true,
            country: true,
            regionCode: true,
            jurisdictionCode: true,
            status: true,
          },
        },
      },
    }),
    prisma.replicationLink.findMany({
      where: { OR: [{ source: { clusterId: cluster.id } }, { target: { clusterId: cluster.id } }] },
      select: LINK_SELECT,
      orderBy: [{ lagSeconds: "desc" }],
    }),
    listClusterResidencyFindings(prisma, cluster.id),
  ]);

  const lagByTarget = new Map<string, { seconds: number; bytes: number }>();
  for (const link of links) {
    const current = lagByTarget.get(link.target.id);
    const bytes = Number(link.lagBytes);
    lagByTarget.set(link.target.id, {
      seconds: Math.max(current?.seconds ?? 0, link.lagSeconds),
      bytes: Math.max(current?.bytes ?? 0, bytes),
    });
  }

  const healthCounts = healthCountsFrom(instances.map((i) => ({ health: i.health, count: 1 })));
  const primaryDown = instances.some((i) => i.role === "PRIMARY" && i.health === "DOWN");

  return {
    id: cluster.id,
    name: cluster.name,
    engine: cluster.engine,
    engineVersion: cluster.engineVersion,
    tier: cluster.tier,
    classification: cluster.classification,
    description: cluster.description,
    team: cluster.team,
    homeJurisdiction: cluster.homeJurisdiction,
    allowedJurisdictions: cluster.allowedJurisdictions,
    rpoSeconds: cluster.rpoSeconds,
    rtoSeconds: cluster.rtoSeconds,
    createdAt: cluster.createdAt,
    updatedAt: cluster.updatedAt,
    healthCounts,
    health: rollupHealth(healthCounts, primaryDown),
    instances: instances.map((i) => {
      const lag = lagByTarget.get(i.id);
      return { ...i, maxLagSeconds: lag?.seconds ?? null, maxLagBytes: lag?.bytes ?? null };
    }),
    links: links.map(toLinkView),
    residencyFindings,
  };
}
