import { Prisma, type PrismaClient } from "@meridian/db";
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

/**
 * The statements behind `getFilterOptions`, one per dropdown source (exported for the benchmark's
 * raw-SQL baseline). Small tables, read whole.
 */
export function filterOptionsSql(): {
  jurisdictions: Prisma.Sql;
  regions: Prisma.Sql;
  dataCenters: Prisma.Sql;
  teams: Prisma.Sql;
  providers: Prisma.Sql;
} {
  return {
    jurisdictions: Prisma.sql`SELECT code, name FROM jurisdiction ORDER BY code`,
    regions: Prisma.sql`SELECT code, name, jurisdiction_code AS "jurisdictionCode" FROM region ORDER BY code`,
    dataCenters: Prisma.sql`SELECT code, name, region_code AS "regionCode" FROM data_center ORDER BY code`,
    teams: Prisma.sql`SELECT slug, name FROM team ORDER BY name`,
    providers: Prisma.sql`SELECT DISTINCT provider FROM data_center ORDER BY provider`,
  };
}

/** Values for the filter dropdowns of the inventory tables. */
export async function getFilterOptions(prisma: PrismaClient): Promise<TFilterOptions> {
  const q = filterOptionsSql();
  const [jurisdictions, regions, dataCenters, teams, providers] = await Promise.all([
    prisma.$queryRaw<TFilterOptions["jurisdictions"]>(q.jurisdictions),
    prisma.$queryRaw<TFilterOptions["regions"]>(q.regions),
    prisma.$queryRaw<TFilterOptions["dataCenters"]>(q.dataCenters),
    prisma.$queryRaw<TFilterOptions["teams"]>(q.teams),
    prisma.$queryRaw<{ provider: string }[]>(q.providers),
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
