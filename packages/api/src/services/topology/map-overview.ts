import { Prisma, type PrismaClient } from "@meridian/db";
import { type TDataCenterStatus, type THealthStatus } from "../../routers/inventory/inventory.schema";
import { type TGetMapOverviewRequest } from "../../routers/topology/map-overview.schema";
import { isFiltered } from "../../routers/topology/topology.schema";
import { type THealthCounts } from "../inventory/health";
import { queryCrossDataCenterLinkGroups, queryDataCenterRollups, visibleDataCenters } from "./rollups";

export interface TMapDataCenter {
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
  /** Every instance here takes one slot, whatever the filters. */
  capacityUsed: number;
  /** Negative when over capacity. */
  capacityFree: number;
  utilisation: number | null;
  /** Instances here that the filters keep (all of them without cluster filters). */
  instanceCount: number;
  clusterCount: number;
  primaryCount: number;
  healthCounts: THealthCounts;
  health: THealthStatus;
  /** Open drift findings on instances here (health collector: server and inventory disagree). */
  driftCount: number;
  /** Open residency findings placing data here: instances here, or links replicating into here, outside their cluster's allowed jurisdictions. */
  residencyCount: number;
}

/** A data center at the far end of a route, outside the filters: drawn as context only. */
export interface TMapContextDataCenter {
  code: string;
  name: string;
  city: string;
  latitude: number;
  longitude: number;
  jurisdictionCode: string;
}

/** Cross-data-center replication between two data centers, both directions added up. */
export interface TMapRoute {
  /** `${a}~${b}` with a < b. */
  id: string;
  a: string;
  b: string;
  linkCount: number;
  aToB: number;
  bToA: number;
  /** Worst lag over the route's links. */
  maxLagSeconds: number;
  maxLagBytes: number;
  brokenCount: number;
  /** Links not streaming normally: catching up, paused or broken. */
  impairedCount: number;
  crossesJurisdiction: boolean;
  modes: { PHYSICAL: number; LOGICAL: number; CDC: number };
}

export interface TMapOverview {
  dataCenters: TMapDataCenter[];
  contextDataCenters: TMapContextDataCenter[];
  routes: TMapRoute[];
  totals: {
    dataCenters: number;
    instances: number;
    /** Cross-data-center links kept by the filters. */
    crossDataCenterLinks: number;
    crossJurisdictionLinks: number;
  };
  filtered: boolean;
  generatedAt: Date;
}

/** Open drift and residency findings per data center code (exported for the benchmark's raw-SQL baseline). */
export function openFindingCountsSql(): { drift: Prisma.Sql; residency: Prisma.Sql } {
  return {
    drift: Prisma.sql`
      SELECT dc.code AS "code", count(*)::int AS "n"
        FROM drift_finding f JOIN instance i ON i.id = f.instance_id JOIN data_center dc ON dc.id = i.data_center_id
       WHERE f.resolved_at IS NULL
       GROUP BY dc.code`,
    residency: Prisma.sql`
      SELECT f.data_center_code AS "code", count(*)::int AS "n"
        FROM residency_finding f
       WHERE f.resolved_at IS NULL
       GROUP BY f.data_center_code`,
  };
}

/**
 * Everything the map draws, in two queries run side by side: data centers with instance
 * roll-ups (one GROUP BY over instances) and cross-data-center links grouped by (source data
 * center, target data center). Routes are merged per pair in memory (a few hundred rows).
 */
export async function getMapOverview(prisma: PrismaClient, filter: TGetMapOverviewRequest): Promise<TMapOverview> {
  const [dcRows, routeRows, driftRows, residencyRows] = await Promise.all([
    queryDataCenterRollups(prisma, filter),
    queryCrossDataCenterLinkGroups(prisma, filter),
    prisma.$queryRaw<{ code: string; n: number }[]>(openFindingCountsSql().drift),
    prisma.$queryRaw<{ code: string; n: number }[]>(openFindingCountsSql().residency),
  ]);
  const driftByCode = new Map(driftRows.map((r) => [r.code, r.n]));
  const residencyByCode = new Map(residencyRows.map((r) => [r.code, r.n]));

  const visible = visibleDataCenters(dcRows, filter);
  const visibleCodes = new Set(visible.map((d) => d.code));
  const byCode = new Map(dcRows.map((d) => [d.code, d]));

  const routes = new Map<string, TMapRoute>();
  for (const r of routeRows) {
    if (!visibleCodes.has(r.src) && !visibleCodes.has(r.dst)) continue;
    const forward = r.src < r.dst;
    const a = forward ? r.src : r.dst;
    const b = forward ? r.dst : r.src;
    const id = `${a}~${b}`;
    let route = routes.get(id);
    if (!route) {
      route = {
        id,
        a,
        b,
        linkCount: 0,
        aToB: 0,
        bToA: 0,
        maxLagSeconds: 0,
        maxLagBytes: 0,
        brokenCount: 0,
        impairedCount: 0,
        crossesJurisdiction: byCode.get(a)?.jurisdictionCode !== byCode.get(b)?.jurisdictionCode,
        modes: { PHYSICAL: 0, LOGICAL: 0, CDC: 0 },
      };
      routes.set(id, route);
    }
    route.linkCount += r.links;
    if (forward) route.aToB += r.links;
    else route.bToA += r.links;
    route.maxLagSeconds = Math.max(route.maxLagSeconds, r.maxLagSeconds);
    route.maxLagBytes = Math.max(route.maxLagBytes, r.maxLagBytes);
    route.brokenCount += r.broken;
    route.impairedCount += r.impaired;
    route.modes.PHYSICAL += r.physical;
    route.modes.LOGICAL += r.logical;
    route.modes.CDC += r.cdc;
  }
  const routeList = [...routes.values()].sort((x, y) => (x.id < y.id ? -1 : 1));

  const contextCodes = new Set<string>();
  for (const r of routeList) for (const code of [r.a, r.b]) if (!visibleCodes.has(code)) contextCodes.add(code);

  let crossDataCenterLinks = 0;
  let crossJurisdictionLinks = 0;
  for (const r of routeList) {
    crossDataCenterLinks += r.linkCount;
    if (r.crossesJurisdiction) crossJurisdictionLinks += r.linkCount;
  }

  return {
    dataCenters: visible.map(({ id: _id, up, degraded, down, unknown, placeMatch: _p, ...rest }) => ({
      ...rest,
      healthCounts: { up, degraded, down, unknown },
      driftCount: driftByCode.get(rest.code) ?? 0,
      residencyCount: residencyByCode.get(rest.code) ?? 0,
    })),
    contextDataCenters: [...contextCodes].sort().flatMap((code) => {
      const d = byCode.get(code);
      return d
        ? [{ code: d.code, name: d.name, city: d.city, latitude: d.latitude, longitude: d.longitude, jurisdictionCode: d.jurisdictionCode }]
        : [];
    }),
    routes: routeList,
    totals: {
      dataCenters: visible.length,
      instances: visible.reduce((sum, d) => sum + d.instanceCount, 0),
      crossDataCenterLinks,
      crossJurisdictionLinks,
    },
    filtered: isFiltered(filter),
    generatedAt: new Date(),
  };
}
