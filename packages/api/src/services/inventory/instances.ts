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
import { type TListInstancesRequest } from "../../routers/inventory/list-instances.schema";
import { isUuid, LINK_SELECT, toLinkView, type TReplicationLinkView } from "./links";
import { aggregatedPageSql, containsPattern, HEALTH_RANK_SQL, orderBy, pageFirstSql, runListSql, type TListSql } from "./sql";

export interface TInstanceListItem {
  id: string;
  name: string;
  role: TInstanceRole;
  health: THealthStatus;
  driver: TDriverKind;
  endpoint: string;
  version: string;
  updatedAt: Date;
  clusterId: string;
  clusterName: string;
  engine: TEngine;
  tier: TTier;
  classification: TDataClassification;
  teamSlug: string;
  teamName: string;
  dataCenterCode: string;
  dataCenterName: string;
  dataCenterCity: string;
  regionCode: string;
  jurisdictionCode: string;
  /** Worst lag of the links replicating into this instance; null when none does (primaries). */
  maxLagSeconds: number | null;
  maxLagBytes: number | null;
  incomingLinks: number;
}

/** Sort keys whose columns are never null (ordered plainly: an index can serve them). */
const NOT_NULL_SORTS = new Set<TListInstancesRequest["sort"]>(["name", "cluster", "dataCenter", "region", "jurisdiction", "role", "health", "engine", "version", "updatedAt"]);

const SORT_EXPRESSIONS: Record<TListInstancesRequest["sort"], string | string[]> = {
  name: `s."name"`,
  cluster: [`s."clusterName"`, `s."role"`],
  dataCenter: `s."dataCenterCode"`,
  region: [`s."regionCode"`, `s."dataCenterCode"`],
  jurisdiction: [`s."jurisdictionCode"`, `s."dataCenterCode"`],
  role: `s."role"`,
  health: HEALTH_RANK_SQL(`s."health"`),
  engine: [`s."engine"`, `s."version"`],
  version: `s."version"`,
  lag: `s."maxLagSeconds"`,
  lagBytes: `s."maxLagBytes"`,
  updatedAt: `s."updatedAt"`,
};

/** One page of instances with their cluster, data center, role, health and worst incoming lag. */
export async function listInstances(
  prisma: PrismaClient,
  input: TListInstancesRequest,
): Promise<TPage<TInstanceListItem>> {
  const { rows, total } = await runListSql<TInstanceListItem>(prisma, (limit, offset) => listInstancesSql(input, limit, offset), input.page, input.pageSize);
  return { items: rows, total, page: input.page, pageSize: input.pageSize };
}

/**
 * The statements behind `listInstances` for one page (exported for the benchmark's raw-SQL
 * baseline). Sorted by anything but lag, the page is found first (through the name index for
 * the default order) and only its instances' incoming links are aggregated, with a separate
 * count; sorted by lag, links are aggregated once per query (GROUP BY target), never per row.
 */
export function listInstancesSql(input: TListInstancesRequest, limit: number, offset: number): TListSql {
  const where: Prisma.Sql[] = [];
  if (input.q) {
    const p = containsPattern(input.q);
    where.push(Prisma.sql`(s."name" ILIKE ${p} OR s."endpoint" ILIKE ${p} OR s."clusterName" ILIKE ${p})`);
  }
  if (input.cluster) where.push(Prisma.sql`s."clusterName" = ${input.cluster}`);
  if (input.dataCenter) where.push(Prisma.sql`s."dataCenterCode" = ${input.dataCenter}`);
  if (input.region) where.push(Prisma.sql`s."regionCode" = ${input.region}`);
  if (input.jurisdiction) where.push(Prisma.sql`s."jurisdictionCode" = ${input.jurisdiction}`);
  if (input.team) where.push(Prisma.sql`s."teamSlug" = ${input.team}`);
  if (input.engine) where.push(Prisma.sql`s."engine" = ${input.engine}`);
  if (input.tier) where.push(Prisma.sql`s."tier" = ${input.tier}`);
  if (input.classification) where.push(Prisma.sql`s."classification" = ${input.classification}`);
  if (input.role) where.push(Prisma.sql`s."role" = ${input.role}`);
  if (input.health) where.push(Prisma.sql`s."health" = ${input.health}`);

  const instanceColumns = Prisma.sql`
               i.id::text AS "id", i.name AS "name", i.role::text AS "role", i.health::text AS "health",
               i.driver::text AS "driver", i.endpoint AS "endpoint", i.version AS "version",
               i.updated_at AS "updatedAt",
               c.id::text AS "clusterId", c.name AS "clusterName", c.engine::text AS "engine",
               c.tier::text AS "tier", c.classification::text AS "classification",
               t.slug AS "teamSlug", t.name AS "teamName",
               d.code AS "dataCenterCode", d.name AS "dataCenterName", d.city AS "dataCenterCity",
               d.region_code AS "regionCode", d.jurisdiction_code AS "jurisdictionCode"`;
  const joins = Prisma.sql`
          FROM instance i
          JOIN cluster c ON c.id = i.cluster_id
          JOIN team t ON t.id = c.team_id
          JOIN data_center d ON d.id = i.data_center_id`;
  const lagColumns = Prisma.sql`g.max_lag_seconds AS "maxLagSeconds", g.max_lag_bytes AS "maxLagBytes", COALESCE(g.links, 0) AS "incomingLinks"`;
  const lagAggregates = Prisma.sql`max(l.lag_seconds) AS max_lag_seconds, max(l.lag_bytes)::float8 AS max_lag_bytes, count(*)::int AS links`;
  const order = orderBy(SORT_EXPRESSIONS[input.sort], input.order, `s."name" ASC`, { notNull: NOT_NULL_SORTS.has(input.sort) });

  if (input.sort !== "lag" && input.sort !== "lagBytes") {
    return pageFirstSql({
      rows: Prisma.sql`SELECT ${instanceColumns} ${joins}`,
      where,
      order,
      limit,
      offset,
      columns: lagColumns,
      perRow: Prisma.sql`LEFT JOIN LATERAL (SELECT ${lagAggregates} FROM replication_link l WHERE l.target_id = s."id"::uuid) g ON TRUE`,
      table: "instance",
    });
  }
  return aggregatedPageSql({
    ctes: Prisma.sql`lag AS (SELECT l.target_id, ${lagAggregates} FROM replication_link l GROUP BY l.target_id)`,
    rows: Prisma.sql`SELECT ${instanceColumns}, ${lagColumns} ${joins} LEFT JOIN lag g ON g.target_id = i.id`,
    where,
    order,
    limit,
    offset,
  });
}

export interface TInstanceDetail {
  id: string;
  name: string;
  role: TInstanceRole;
  health: THealthStatus;
  driver: TDriverKind;
  endpoint: string;
  version: string;
  createdAt: Date;
  updatedAt: Date;
  cluster: {
    id: string;
    name: string;
    engine: TEngine;
    engineVersion: string;
    tier: TTier;
    classification: TDataClassification;
    homeJurisdictionCode: string;
    allowedJurisdictions: string[];
    rpoSeconds: number;
    rtoSeconds: number;
    team: { slug: string; name: string };
  };
  dataCenter: {
    code: string;
    name: string;
    city: string;
    country: string;
    regionCode: string;
    jurisdictionCode: string;
    provider: string;
    status: TDataCenterStatus;
  };
  /** Links replicating into this instance (it is their target). */
  incomingLinks: TReplicationLinkView[];
  /** Links replicating out of this instance (it is their source). */
  outgoingLinks: TReplicationLinkView[];
  /**
   * What the health collector last saw (postgres instances; simulated ones stay null/0). The
   * credential itself never leaves the server: only whether one is set.
   */
  monitoring: {
    databaseName: string | null;
    lastSeenAt: Date | null;
    failureStreak: number;
    successStreak: number;
    healthDetail: string | null;
    observedRole: string | null;
    hasCredential: boolean;
  };
  /** Open drift findings: objects on the server the inventory does not know, links it lacks, role contradictions. */
  drift: { id: string; kind: string; objectName: string; detail: string; linkId: string | null; firstSeenAt: Date; lastSeenAt: Date }[];
  /** The other members of its cluster. */
  peers: {
    id: string;
    name: string;
    role: TInstanceRole;
    health: THealthStatus;
    dataCenterCode: string;
    jurisdictionCode: string;
  }[];
}

export async function getInstance(prisma: PrismaClient, ref: string): Promise<TInstanceDetail> {
  // Explicit select: the credential ciphertext never leaves this function.
  const instance = await prisma.instance.findFirst({
    where: isUuid(ref) ? { OR: [{ id: ref }, { name: ref }] } : { name: ref },
    select: {
      id: true,
      name: true,
      role: true,
      health: true,
      driver: true,
      endpoint: true,
      version: true,
      createdAt: true,
      updatedAt: true,
      clusterId: true,
      databaseName: true,
      lastSeenAt: true,
      failureStreak: true,
      successStreak: true,
      healthDetail: true,
      observedRole: true,
      // Only whether it is set: the ciphertext itself is mapped to a boolean below.
      credentialCiphertext: true,
      cluster: {
        select: {
          id: true,
          name: true,
          engine: true,
          engineVersion: true,
          tier: true,
          classification: true,
          homeJurisdictionCode: true,
          allowedJurisdictions: true,
          rpoSeconds: true,
          rtoSeconds: true,
          team: { select: { slug: true, name: true } },
        },
      },
      dataCenter: {
        select: {
          code: true,
          name: true,
          city: true,
          country: true,
          regionCode: true,
          jurisdictionCode: true,
          provider: true,
          status: true,
        },
      },
    },
  });
  if (!instance) throw new AppError("NOT_FOUND", `No instance named "${ref}"`);

  const [incoming, outgoing, peers, drift] = await Promise.all([
    prisma.replicationLink.findMany({ where: { targetId: instance.id }, select: LINK_SELECT, orderBy: { lagSeconds: "desc" } }),
    prisma.replicationLink.findMany({ where: { sourceId: instance.id }, select: LINK_SELECT, orderBy: { lagSeconds: "desc" } }),
    prisma.instance.findMany({
      where: { clusterId: instance.clusterId, id: { not: instance.id } },
      orderBy: [{ role: "asc" }, { name: "asc" }],
      take: 200,
      select: {
        id: true,
        name: true,
        role: true,
        health: true,
        dataCenter: { select: { code: true, jurisdictionCode: true } },
      },
    }),
    prisma.driftFinding.findMany({
      where: { instanceId: instance.id, resolvedAt: null },
      orderBy: [{ kind: "asc" }, { objectName: "asc" }],
      take: 100,
      select: { id: true, kind: true, objectName: true, detail: true, linkId: true, firstSeenAt: true, lastSeenAt: true },
    }),
  ]);

  const {
    clusterId: _clusterId,
    credentialCiphertext,
    databaseName,
    lastSeenAt,
    failureStreak,
    successStreak,
    healthDetail,
    observedRole,
    ...rest
  } = instance;
  return {
    ...rest,
    monitoring: {
      databaseName,
      lastSeenAt,
      failureStreak,
      successStreak,
      healthDetail,
      observedRole,
      hasCredential: credentialCiphertext !== null,
    },
    drift,
    incomingLinks: incoming.map(toLinkView),
    outgoingLinks: outgoing.map(toLinkView),
    peers: peers.map((p) => ({
      id: p.id,
      name: p.name,
      role: p.role,
      health: p.health,
      dataCenterCode: p.dataCenter.code,
      jurisdictionCode: p.dataCenter.jurisdictionCode,
    })),
  };
}
