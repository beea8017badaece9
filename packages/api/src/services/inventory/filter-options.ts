import { type PrismaClient } from "@meridian/db";
import {
  DATA_CENTER_STATUSES,
  DATA_CLASSIFICATIONS,
  ENGINES,
  HEALTH_STATUSES,
  INSTANCE_ROLES,
  TIERS,
  type TDataCenterStatus,
  type TDataClassification,
  type TEngine,
  type THealthStatus,
  type TInstanceRole,
  type TTier,
} from "../../routers/inventory/inventory.schema";

export interface TFilterOptions {
  jurisdictions: { code: string; name: string }[];
  regions: { code: string; name: string; jurisdictionCode: string }[];
  dataCenters: { code: string; name: string; regionCode: string }[];
  teams: { slug: string; name: string }[];
  providers: string[];
  engines: readonly TEngine[];
  tiers: readonly TTier[];
  classifications: readonly TDataClassification[];
  statuses: readonly TDataCenterStatus[];
  roles: readonly TInstanceRole[];
  healths: readonly THealthStatus[];
}

/** Values for the filter dropdowns of the inventory tables: small tables, read whole. */
export async function getFilterOptions(prisma: PrismaClient): Promise<TFilterOptions> {
  const [jurisdictions, regions, dataCenters, teams, providers] = await Promise.all([
    prisma.jurisdiction.findMany({ select: { code: true, name: true }, orderBy: { code: "asc" } }),
    prisma.region.findMany({ select: { code: true, name: true, jurisdictionCode: true }, orderBy: { code: "asc" } }),
    prisma.dataCenter.findMany({ select: { code: true, name: true, regionCode: true }, orderBy: { code: "asc" } }),
    prisma.team.findMany({ select: { slug: true, name: true }, orderBy: { name: "asc" } }),
    prisma.dataCenter.findMany({ distinct: ["provider"], select: { provider: true }, orderBy: { provider: "asc" } }),
  ]);
  return {
    jurisdictions,
    regions,
    dataCenters,
    teams,
    providers: providers.map((p) => p.provider),
    engines: ENGINES,
    tiers: TIERS,
    classifications: DATA_CLASSIFICATIONS,
    statuses: DATA_CENTER_STATUSES,
    roles: INSTANCE_ROLES,
    healths: HEALTH_STATUSES,
  };
}
