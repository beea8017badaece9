import { Prisma } from "@meridian/db";
import { type TSortOrder } from "../../routers/inventory/inventory.schema";

/** `%text%` for ILIKE, with LIKE's wildcards in the user's text escaped. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** `WHERE a AND b ...`, or nothing when there is no condition. */
export function whereAll(conditions: readonly Prisma.Sql[]): Prisma.Sql {
  return conditions.length > 0 ? Prisma.sql`WHERE ${Prisma.join(conditions, " AND ")}` : Prisma.empty;
}

/**
 * ORDER BY from a whitelisted expression (never user text), the direction, and tie-breakers
 * so that paging is stable.
 */
export function orderBy(expressions: string | readonly string[], order: TSortOrder, tieBreakers: string): Prisma.Sql {
  const direction = order === "desc" ? "DESC NULLS LAST" : "ASC NULLS FIRST";
  const keys = (typeof expressions === "string" ? [expressions] : expressions).map((e) => `${e} ${direction}`);
  return Prisma.raw(`ORDER BY ${keys.join(", ")}, ${tieBreakers}`);
}

export function offsetOf(page: number, pageSize: number): number {
  return (page - 1) * pageSize;
}

/**
 * Health roll-up over instance counts, as SQL. No instance (or none reporting) is UNKNOWN;
 * nothing serving (none up or degraded) is DOWN; any instance down or degraded is DEGRADED.
 * `primaryDown` (clusters only) makes the roll-up DOWN: the cluster cannot take writes.
 */
export function healthRollupSql(cols: { up: string; degraded: string; down: string; primaryDown?: string }): string {
  const { up, degraded, down, primaryDown } = cols;
  return `CASE
      WHEN ${up} + ${degraded} + ${down} = 0 THEN 'UNKNOWN'
      ${primaryDown ? `WHEN ${primaryDown} THEN 'DOWN'` : ""}
      WHEN ${up} + ${degraded} = 0 THEN 'DOWN'
      WHEN ${degraded} + ${down} > 0 THEN 'DEGRADED'
      ELSE 'UP' END`;
}

/** Sort rank of a health value: healthy first when ascending, worst first when descending. */
export const HEALTH_RANK_SQL = (column: string): string =>
  `array_position(ARRAY['UP','UNKNOWN','DEGRADED','DOWN']::text[], ${column})`;

/** Rank of a data classification, least to most sensitive. */
export const CLASSIFICATION_RANK_SQL = (column: string): string =>
  `array_position(ARRAY['PUBLIC','INTERNAL','CONFIDENTIAL','PII','REGULATED']::text[], ${column})`;

/** Total rows from a `count(*) OVER ()` column, or 0 for an empty page. */
export function totalOf(rows: readonly { total: number }[]): number {
  return rows[0]?.total ?? 0;
}
