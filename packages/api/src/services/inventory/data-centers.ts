import { Prisma, type PrismaClient } from "@meridian/db";
import { AppError } from "../../errors";
import { appendAuditEvent, SYSTEM_ACTOR, type TAuditActor } from "../audit/append-audit-event";
import {
  type TDataCenterStatus,
  type TEngine,
  type THealthStatus,
  type TPage,
  type TTier,
  type TDataClassification,
} from "../../routers/inventory/inventory.schema";
import { type TListDataCentersRequest } from "../../routers/inventory/list-data-centers.schema";
import { type TUpdateDataCenterStatusRequest } from "../../routers/inventory/update-data-center-status.schema";
import { healthCountsFrom, rollupHealth, type THealthCounts } from "./health";
import {
  containsPattern,
  HEALTH_RANK_SQL,
  healthRollupSql,
  orderBy,
  runListSql,
  type TListSql,
  whereAll,
} from "./sql";

export interface TDataCenterListItem {
  id: string;
  code: string;
  name: string;
  city: string;
  country: string;
  latitude: number;
  longitude: number;
  regionCode: string;
  regionName: string;
  jurisdictionCode: string;
  jurisdictionName: string;
  provider: string;
  status: TDataCenterStatus;
  capacitySlots: number;
  /** Instances placed here: the capacity used, one slot each. */
  instanceCount: number;
  /** Slots left; negative when the data center is over capacity. */
  capacityFree: number;
  /** Used / capacity, 0..1 (above 1 when over capacity); null when capacity is 0. */
  utilisation: number | null;
  clusterCount: number;
  healthCounts: THealthCounts;
  health: THealthStatus;
}

interface TDataCenterRow extends Omit<TDataCenterListItem, "healthCounts"> {
  up: number;
  degraded: number;
  down: number;
  unknown: number;
  total: number;
}

const SORT_EXPRESSIONS: Record<TListDataCentersRequest["sort"], string | string[]> = {
  code: `s."code"`,
  name: `s."name"`,
  city: `s."city"`,
  country: `s."country"`,
  region: `s."regionName"`,
  jurisdiction: `s."jurisdictionCode"`,
  provider: `s."provider"`,
  status: `s."status"`,
  capacity: `s."capacitySlots"`,
  instances: `s."instanceCount"`,
  free: `s."capacityFree"`,
  utilisation: `s."utilisation"`,
  health: [HEALTH_RANK_SQL(`s."health"`), `s."down"`, `s."degraded"`],
};

/**
 * One page of data centers with their instance counts, capacity and health roll-up, in one
 * query: instances are aggregated per data center once (GROUP BY), never per row.
 */
export async function listDataCenters(
  prisma: PrismaClient,
  input: TListDataCentersRequest,
): Promise<TPage<TDataCenterListItem>> {
  const { rows, total } = await runListSql<TDataCenterRow>(prisma, (limit, offset) => listDataCentersSql(input, limit, offset), input.page, input.pageSize);
  return {
    items: rows.map(({ up, degraded, down, unknown, ...rest }) => ({ ...rest, healthCounts: { up, degraded, down, unknown } })),
    total,
    page: input.page,
    pageSize: input.pageSize,
  };
}

/** The statement behind `listDataCenters` for one page, counted by itself (exported for the benchmark's raw-SQL baseline). */
export function listDataCentersSql(input: TListDataCentersRequest, limit: number, offset: number): TListSql {
  const where: Prisma.Sql[] = [];
  if (input.q) {
    const p = containsPattern(input.q);
    where.push(
      Prisma.sql`(s."code" ILIKE ${p} OR s."name" ILIKE ${p} OR s."city" ILIKE ${p} OR s."country" ILIKE ${p} OR s."provider" ILIKE ${p})`,
    );
  }
  if (input.jurisdiction) where.push(Prisma.sql`s."jurisdictionCode" = ${input.jurisdiction}`);
  if (input.region) where.push(Prisma.sql`s."regionCode" = ${input.region}`);
  if (input.status) where.push(Prisma.sql`s."status" = ${input.status}`);
  if (input.provider) where.push(Prisma.sql`s."provider" = ${input.provider}`);
  if (input.health) where.push(Prisma.sql`s."health" = ${input.health}`);

  const rollup = healthRollupSql({ up: "COALESCE(a.up, 0)", degraded: "COALESCE(a.degraded, 0)", down: "COALESCE(a.down, 0)" });

  const page = Prisma.sql`
    WITH agg AS (
      SELECT i.data_center_id,
             count(*)::int AS instances,
             count(DISTINCT i.cluster_id)::int AS clusters,
             (count(*) FILTER (WHERE i.health = 'UP'))::int AS up,
             (count(*) FILTER (WHERE i.health = 'DEGRADED'))::int AS degraded,
             (count(*) FILTER (WHERE i.health = 'DOWN'))::int AS down,
             (count(*) FILTER (WHERE i.health = 'UNKNOWN'))::int AS unknown
        FROM instance i
       GROUP BY i.data_center_id
    )
    SELECT s.*, (count(*) OVER ())::int AS total
      FROM (
        SELECT dc.id::text AS "id", dc.code AS "code", dc.name AS "name", dc.city AS "city",
               dc.country AS "country", dc.latitude AS "latitude", dc.longitude AS "longitude",
               dc.region_code AS "regionCode", r.name AS "regionName",
               dc.jurisdiction_code AS "jurisdictionCode", j.name AS "jurisdictionName",
               dc.provider AS "provider", dc.status::text AS "status",
               dc.capacity_slots AS "capacitySlots",
               COALESCE(a.instances, 0) AS "instanceCount",
               dc.capacity_slots - COALESCE(a.instances, 0) AS "capacityFree",
               CASE WHEN dc.capacity_slots > 0
                    THEN COALESCE(a.instances, 0)::float8 / dc.capacity_slots END AS "utilisation",
               COALESCE(a.clusters, 0) AS "clusterCount",
               COALESCE(a.up, 0) AS "up", COALESCE(a.degraded, 0) AS "degraded",
               COALESCE(a.down, 0) AS "down", COALESCE(a.unknown, 0) AS "unknown",
               ${Prisma.raw(rollup)} AS "health"
          FROM data_center dc
          JOIN region r ON r.code = dc.region_code
          JOIN jurisdiction j ON j.code = dc.jurisdiction_code
          LEFT JOIN agg a ON a.data_center_id = dc.id
      ) s
    ${whereAll(where)}
    ${orderBy(SORT_EXPRESSIONS[input.sort], input.order, `s."code" ASC`)}
    LIMIT ${limit} OFFSET ${offset}`;
  return { page, total: null };
}

export interface TDataCenterClusterRow {
  id: string;
  name: string;
  engine: TEngine;
  tier: TTier;
  classification: TDataClassification;
  teamSlug: string;
  teamName: string;
  /** Instances of this cluster placed in this data center, by role. */
  instancesHere: number;
  primaries: number;
  replicas: number;
  standbys: number;
  healthCounts: THealthCounts;
  health: THealthStatus;
}

export interface TDataCenterDetail {
  id: string;
  code: string;
  name: string;
  city: string;
  country: string;
  latitude: number;
  longitude: number;
  region: { code: string; name: string };
  jurisdiction: { code: string; name: string };
  provider: string;
  status: TDataCenterStatus;
  capacitySlots: number;
  instanceCount: number;
  capacityFree: number;
  utilisation: number | null;
  healthCounts: THealthCounts;
  health: THealthStatus;
  createdAt: Date;
  updatedAt: Date;
  clusters: TDataCenterClusterRow[];
  /** Replication links with one end here and the other in another data center. */
  crossDataCenterLinks: { outgoing: number; incoming: number };
  /** Current and upcoming maintenance windows and freezes (this data center's and fleet-wide). */
  maintenanceWindows: {
    id: string;
    kind: string;
    reason: string;
    startsAt: Date;
    endsAt: Date;
    fleetWide: boolean;
  }[];
}

async function findDataCenterId(prisma: PrismaClient, code: string): Promise<string | null> {
  const exact = await prisma.dataCenter.findUnique({ where: { code }, select: { id: true } });
  if (exact) return exact.id;
  const loose = await prisma.dataCenter.findFirst({
    where: { code: { equals: code, mode: "insensitive" } },
    select: { id: true },
  });
  return loose?.id ?? null;
}

export async function getDataCenter(prisma: PrismaClient, code: string): Promise<TDataCenterDetail> {
  const id = await findDataCenterId(prisma, code);
  if (!id) throw new AppError("NOT_FOUND", `No data center with code "${code}"`);

  const now = new Date();
  const [dc, healthGroups, clusterRows, crossLinks, windows] = await Promise.all([
    prisma.dataCenter.findUniqueOrThrow({
      where: { id },
      include: { region: { select: { code: true, name: true } }, jurisdiction: { select: { code: true, name: true } } },
    }),
    prisma.instance.groupBy({ by: ["health"], where: { dataCenterId: id }, _count: { _all: true } }),
    prisma.$queryRaw<(Omit<TDataCenterClusterRow, "healthCounts"> & THealthCounts)[]>`
      SELECT c.id::text AS "id", c.name AS "name", c.engine::text AS "engine", c.tier::text AS "tier",
             c.classification::text AS "classification", t.slug AS "teamSlug", t.name AS "teamName",
             count(*)::int AS "instancesHere",
             (count(*) FILTER (WHERE i.role = 'PRIMARY'))::int AS "primaries",
             (count(*) FILTER (WHERE i.role = 'REPLICA'))::int AS "replicas",
             (count(*) FILTER (WHERE i.role = 'STANDBY'))::int AS "standbys",
             (count(*) FILTER (WHERE i.health = 'UP'))::int AS "up",
             (count(*) FILTER (WHERE i.health = 'DEGRADED'))::int AS "degraded",
             (count(*) FILTER (WHERE i.health = 'DOWN'))::int AS "down",
             (count(*) FILTER (WHERE i.health = 'UNKNOWN'))::int AS "unknown"
        FROM instance i
        JOIN cluster c ON c.id = i.cluster_id
        JOIN team t ON t.id = c.team_id
       WHERE i.data_center_id = ${id}::uuid
       GROUP BY c.id, t.id
       ORDER BY c.tier ASC, c.name ASC`,
    prisma.$queryRaw<{ outgoing: number; incoming: number }[]>`
      SELECT (count(*) FILTER (WHERE s.data_center_id = ${id}::uuid AND t.data_center_id <> ${id}::uuid))::int AS "outgoing",
             (count(*) FILTER (WHERE t.data_center_id = ${id}::uuid AND s.data_center_id <> ${id}::uuid))::int AS "incoming"
        FROM replication_link l
        JOIN instance s ON s.id = l.source_id
        JOIN instance t ON t.id = l.target_id
       WHERE s.data_center_id = ${id}::uuid OR t.data_center_id = ${id}::uuid`,
    prisma.maintenanceWindow.findMany({
      where: { endsAt: { gte: now }, OR: [{ dataCenterId: id }, { dataCenterId: null }] },
      orderBy: { startsAt: "asc" },
      take: 10,
      select: { id: true, kind: true, reason: true, startsAt: true, endsAt: true, dataCenterId: true },
    }),
  ]);

  const healthCounts = healthCountsFrom(healthGroups.map((g) => ({ health: g.health, count: g._count._all })));
  const instanceCount = healthCounts.up + healthCounts.degraded + healthCounts.down + healthCounts.unknown;

  return {
    id: dc.id,
    code: dc.code,
    name: dc.name,
    city: dc.city,
    country: dc.country,
    latitude: dc.latitude,
    longitude: dc.longitude,
    region: dc.region,
    jurisdiction: dc.jurisdiction,
    provider: dc.provider,
    status: dc.status,
    capacitySlots: dc.capacitySlots,
    instanceCount,
    capacityFree: dc.capacitySlots - instanceCount,
    utilisation: dc.capacitySlots > 0 ? instanceCount / dc.capacitySlots : null,
    healthCounts,
    health: rollupHealth(healthCounts),
    createdAt: dc.createdAt,
    updatedAt: dc.updatedAt,
    clusters: clusterRows.map(({ up, degraded, down, unknown, ...rest }) => {
      const counts = { up, degraded, down, unknown };
      return { ...rest, healthCounts: counts, health: rollupHealth(counts) };
    }),
    crossDataCenterLinks: crossLinks[0] ?? { outgoing: 0, incoming: 0 },
    maintenanceWindows: windows.map(({ dataCenterId, ...w }) => ({ ...w, fleetWide: dataCenterId === null })),
  };
}

export interface TDataCenterStatusChange {
  code: string;
  name: string;
  previousStatus: TDataCenterStatus;
  status: TDataCenterStatus;
  updatedAt: Date;
}

/**
 * Sets a data center's status with a conditional update: when `expectedStatus` is given, the
 * row changes only if it still holds that status, so two operators cannot silently overwrite
 * each other (no check-then-act).
 */
export async function updateDataCenterStatus(
  prisma: PrismaClient,
  input: TUpdateDataCenterStatusRequest,
  actor: TAuditActor = SYSTEM_ACTOR,
): Promise<TDataCenterStatusChange> {
  const id = await findDataCenterId(prisma, input.code);
  if (!id) throw new AppError("NOT_FOUND", `No data center with code "${input.code}"`);

  return prisma.$transaction(async (tx) => {
    const before = await tx.$queryRaw<{ status: TDataCenterStatus }[]>`
      SELECT status::text AS status FROM data_center WHERE id = ${id}::uuid FOR UPDATE`;
    const previousStatus = before[0]?.status;
    if (!previousStatus) throw new AppError("NOT_FOUND", `No data center with code "${input.code}"`);
    if (input.expectedStatus && input.expectedStatus !== previousStatus) {
      throw new AppError(
        "CONFLICT",
        `Data center ${input.code} is now ${previousStatus}, not ${input.expectedStatus}: someone changed it meanwhile. Reload and try again.`,
      );
    }
    const updated = await tx.dataCenter.update({
      where: { id },
      data: { status: input.status },
      select: { code: true, name: true, status: true, updatedAt: true },
    });
    await appendAuditEvent(tx, {
      actor,
      action: "dataCenter.statusChanged",
      targetType: "dataCenter",
      targetId: id,
      before: { code: updated.code, status: previousStatus },
      after: { code: updated.code, status: updated.status, reason: input.reason ?? null },
    });
    return { ...updated, previousStatus };
  });
}
