import { Prisma } from "@meridian/db";
import { filtersInstances, type TFleetFilter } from "../../routers/topology/topology.schema";

/**
 * SQL pieces for the fleet filters. Place filters (region, jurisdiction) select data centers;
 * cluster filters (team, classification, engine) select clusters and so their instances.
 * Enum columns are compared as text: parameters arrive as text.
 */

/** Conditions on a data center row aliased `dc`; empty when no place filter is set. */
export function placeConditions(filter: TFleetFilter, alias = "dc"): Prisma.Sql[] {
  const where: Prisma.Sql[] = [];
  if (filter.region) where.push(Prisma.sql`${Prisma.raw(alias)}.region_code = ${filter.region}`);
  if (filter.jurisdiction) where.push(Prisma.sql`${Prisma.raw(alias)}.jurisdiction_code = ${filter.jurisdiction}`);
  return where;
}

/** `TRUE`, or the conjunction of the place conditions. */
export function placeMatch(filter: TFleetFilter, alias = "dc"): Prisma.Sql {
  const where = placeConditions(filter, alias);
  return where.length > 0 ? Prisma.join(where, " AND ") : Prisma.sql`TRUE`;
}

/**
 * A CTE body listing the ids of the clusters the filter keeps: `SELECT c.id FROM cluster c ...`.
 * Null when no cluster filter is set (every cluster matches; callers skip the join).
 */
export function matchingClustersSql(filter: TFleetFilter): Prisma.Sql | null {
  if (!filtersInstances(filter)) return null;
  const where: Prisma.Sql[] = [];
  if (filter.team) where.push(Prisma.sql`t.slug = ${filter.team}`);
  if (filter.classification) where.push(Prisma.sql`c.classification::text = ${filter.classification}`);
  if (filter.engine) where.push(Prisma.sql`c.engine::text = ${filter.engine}`);
  return Prisma.sql`SELECT c.id FROM cluster c JOIN team t ON t.id = c.team_id WHERE ${Prisma.join(where, " AND ")}`;
}
