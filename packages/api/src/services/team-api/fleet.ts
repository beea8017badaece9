import { type Prisma, type PrismaClient } from "@meridian/db";
import { type z } from "zod";
import { AppError } from "../../errors";
import {
  type ZClusterV1Schema,
  type ZDataCenterV1Schema,
  type ZInstanceV1Schema,
  type ZLinkV1Schema,
} from "../../routers/v1/team-api.schema";
import { decodeCursor, encodeCursor, type TTeamScope } from "./scope";

type TDataCenterV1 = z.output<typeof ZDataCenterV1Schema>;
type TClusterV1 = z.output<typeof ZClusterV1Schema>;
type TInstanceV1 = z.output<typeof ZInstanceV1Schema>;
type TLinkV1 = z.output<typeof ZLinkV1Schema>;
export interface TPageV1<T> {
  items: T[];
  nextCursor: string | null;
}

function pageOf<T>(rows: T[], limit: number, keyOf: (row: T) => string | number): TPageV1<T> {
  const more = rows.length > limit;
  const items = more ? rows.slice(0, limit) : rows;
  return { items, nextCursor: more && items.length > 0 ? encodeCursor(keyOf(items[items.length - 1]!)) : null };
}

const DC_SELECT = {
  id: true,
  code: true,
  name: true,
  city: true,
  country: true,
  regionCode: true,
  jurisdictionCode: true,
  provider: true,
  status: true,
  latitude: true,
  longitude: true,
} satisfies Prisma.DataCenterSelect;

function dcView(d: Prisma.DataCenterGetPayload<{ select: typeof DC_SELECT }>): TDataCenterV1 {
  return {
    id: d.id,
    code: d.code,
    name: d.name,
    city: d.city,
    country: d.country,
    region: d.regionCode,
    jurisdiction: d.jurisdictionCode,
    provider: d.provider,
    status: d.status,
    latitude: d.latitude,
    longitude: d.longitude,
  };
}

/** Data centers are shared by every team: the list is the same for all callers. */
export async function listDataCentersV1(
  prisma: PrismaClient,
  input: { cursor?: string; limit: number; jurisdiction?: string; status?: string },
): Promise<TPageV1<TDataCenterV1>> {
  const after = decodeCursor<string>(input.cursor, "string");
  const rows = await prisma.dataCenter.findMany({
    where: {
      ...(after ? { code: { gt: after } } : {}),
      ...(input.jurisdiction ? { jurisdictionCode: input.jurisdiction } : {}),
      ...(input.status ? { status: input.status as Prisma.EnumDataCenterStatusFilter["equals"] } : {}),
    },
    orderBy: { code: "asc" },
    take: input.limit + 1,
    select: DC_SELECT,
  });
  return pageOf(rows.map(dcView), input.limit, (d) => d.code);
}

export async function getDataCenterV1(prisma: PrismaClient, code: string): Promise<TDataCenterV1> {
  const row = await prisma.dataCenter.findUnique({ where: { code }, select: DC_SELECT });
  if (!row) throw new AppError("NOT_FOUND", `No data center ${code}`);
  return dcView(row);
}

function teamWhere(scope: TTeamScope): Prisma.ClusterWhereInput {
  return scope.teamIds ? { teamId: { in: scope.teamIds } } : {};
}

const CLUSTER_SELECT = {
  id: true,
  name: true,
  engine: true,
  engineVersion: true,
  team: { select: { slug: true, name: true } },
  tier: true,
  classification: true,
  homeJurisdictionCode: true,
  allowedJurisdictions: true,
  rpoSeconds: true,
  rtoSeconds: true,
  _count: { select: { instances: true } },
} satisfies Prisma.ClusterSelect;

function clusterView(c: Prisma.ClusterGetPayload<{ select: typeof CLUSTER_SELECT }>): TClusterV1 {
  return {
    id: c.id,
    name: c.name,
    engine: c.engine,
    engineVersion: c.engineVersion,
    team: c.team,
    tier: c.tier,
    classification: c.classification,
    homeJurisdiction: c.homeJurisdictionCode,
    allowedJurisdictions: c.allowedJurisdictions,
    rpoSeconds: c.rpoSeconds,
    rtoSeconds: c.rtoSeconds,
    instanceCount: c._count.instances,
  };
}

export async function listClustersV1(prisma: PrismaClient, scope: TTeamScope, input: { cursor?: string; limit: number }): Promise<TPageV1<TClusterV1>> {
  const after = decodeCursor<string>(input.cursor, "string");
  const rows = await prisma.cluster.findMany({
    where: { ...teamWhere(scope), ...(after ? { name: { gt: after } } : {}) },
    orderBy: { name: "asc" },
    take: input.limit + 1,
    select: CLUSTER_SELECT,
  });
  return pageOf(rows.map(clusterView), input.limit, (c) => c.name);
}

/** A cluster by name or id; another team's cluster is "not found" for a token. */
export async function findVisibleCluster(prisma: PrismaClient, scope: TTeamScope, ref: string) {
  const isId = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(ref);
  const row = await prisma.cluster.findFirst({
    where: { ...teamWhere(scope), ...(isId ? { OR: [{ id: ref }, { name: ref }] } : { name: ref }) },
    select: { ...CLUSTER_SELECT, teamId: true },
  });
  return row;
}

export async function getClusterV1(prisma: PrismaClient, scope: TTeamScope, name: string): Promise<TClusterV1> {
  const row = await findVisibleCluster(prisma, scope, name);
  if (!row) throw new AppError("NOT_FOUND", `No cluster ${name}`);
  return clusterView(row);
}

async function clusterFilter(prisma: PrismaClient, scope: TTeamScope, cluster: string | undefined): Promise<Prisma.ClusterWhereInput> {
  if (!cluster) return teamWhere(scope);
  const row = await findVisibleCluster(prisma, scope, cluster);
  if (!row) throw new AppError("NOT_FOUND", `No cluster ${cluster}`, { cluster: ["No such cluster"] });
  return { id: row.id };
}

export async function listInstancesV1(
  prisma: PrismaClient,
  scope: TTeamScope,
  input: { cursor?: string; limit: number; cluster?: string },
): Promise<TPageV1<TInstanceV1>> {
  const after = decodeCursor<string>(input.cursor, "string");
  const rows = await prisma.instance.findMany({
    where: { cluster: await clusterFilter(prisma, scope, input.cluster), ...(after ? { name: { gt: after } } : {}) },
    orderBy: { name: "asc" },
    take: input.limit + 1,
    select: {
      id: true,
      name: true,
      role: true,
      driver: true,
      endpoint: true,
      version: true,
      health: true,
      lastSeenAt: true,
      cluster: { select: { name: true } },
      dataCenter: { select: { code: true } },
    },
  });
  const items = rows.map((i) => ({
    id: i.id,
    name: i.name,
    cluster: i.cluster.name,
    dataCenter: i.dataCenter.code,
    role: i.role,
    driver: i.driver,
    endpoint: i.endpoint,
    version: i.version,
    health: i.health,
    lastSeenAt: i.lastSeenAt?.toISOString() ?? null,
  }));
  return pageOf(items, input.limit, (i) => i.name);
}

export async function listLinksV1(
  prisma: PrismaClient,
  scope: TTeamScope,
  input: { cursor?: string; limit: number; cluster?: string },
): Promise<TPageV1<TLinkV1>> {
  const after = decodeCursor<string>(input.cursor, "string");
  const clusters = await clusterFilter(prisma, scope, input.cluster);
  const rows = await prisma.replicationLink.findMany({
    // Both ends must be visible: a link never shows another team's instance.
    where: { source: { cluster: clusters }, target: { cluster: clusters }, ...(after ? { id: { gt: after } } : {}) },
    orderBy: { id: "asc" },
    take: input.limit + 1,
    select: {
      id: true,
      mode: true,
      status: true,
      lagBytes: true,
      lagSeconds: true,
      source: { select: { name: true, cluster: { select: { name: true } } } },
      target: { select: { name: true } },
    },
  });
  const items = rows.map((l) => ({
    id: l.id,
    cluster: l.source.cluster.name,
    source: l.source.name,
    target: l.target.name,
    mode: l.mode,
    status: l.status,
    lagBytes: l.lagBytes.toString(),
    lagSeconds: l.lagSeconds,
  }));
  return pageOf(items, input.limit, (l) => l.id);
}
