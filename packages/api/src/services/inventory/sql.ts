import { Prisma, type PrismaClient } from "@meridian/db";
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
 * so that paging is stable. Nulls sort as the smallest value; a column that is never null is
 * ordered plainly (`ASC` / `DESC`), so that its btree index can hand out the first page.
 */
export function orderBy(
  expressions: string | readonly string[],
  order: TSortOrder,
  tieBreakers: string,
  options: { notNull?: boolean } = {},
): Prisma.Sql {
  const direction = options.notNull ? (order === "desc" ? "DESC" : "ASC") : order === "desc" ? "DESC NULLS LAST" : "ASC NULLS FIRST";
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

/**
 * One page of a list: the page's statement and, when it is not counted by the page itself
 * (`count(*) OVER ()` in a `total` column), a separate `SELECT count(*) AS total`. Lists sorted
 * by a plain column find their page through an index first and aggregate only its rows, so they
 * need the separate count; lists sorted or filtered by an aggregate compute it for every row.
 */
export interface TListSql {
  page: Prisma.Sql;
  total: Prisma.Sql | null;
}

/** Runs a list's statements side by side: the page's rows and how many match in all. */
export async function runListSql<TRow extends object>(
  prisma: PrismaClient,
  build: (limit: number, offset: number) => TListSql,
  page: number,
  pageSize: number,
): Promise<{ rows: Omit<TRow, "total">[]; total: number }> {
  const q = build(pageSize, offsetOf(page, pageSize));
  const [rows, counted] = await Promise.all([
    prisma.$queryRaw<(TRow & { total?: number })[]>(q.page),
    q.total ? prisma.$queryRaw<{ total: number }[]>(q.total) : Promise.resolve(null),
  ]);
  let total: number;
  if (counted) total = totalOf(counted);
  // Past the last page: still report how many matched, so the pager can step back.
  else if (rows.length === 0 && page > 1) total = totalOf(await prisma.$queryRaw<{ total: number }[]>(build(1, 0).page));
  else total = rows[0]?.total ?? 0;
  return { rows: rows.map(({ total: _total, ...row }) => row as Omit<TRow, "total">), total };
}

/**
 * A list page found first among `rows` (a SELECT of plain columns, aliased `s` by the
 * conditions and the order) and only then given its aggregates: `perRow` joins them to the
 * page's rows (LATERAL ... ON TRUE), `columns` selects them. Counted separately (the count of
 * `table` when nothing filters).
 */
export function pageFirstSql(q: {
  rows: Prisma.Sql;
  where: readonly Prisma.Sql[];
  order: Prisma.Sql;
  limit: number;
  offset: number;
  columns: Prisma.Sql;
  perRow: Prisma.Sql;
  table: "cluster" | "instance";
}): TListSql {
  return {
    page: Prisma.sql`
      SELECT s.*, ${q.columns}
        FROM (SELECT s.* FROM (${q.rows}) s ${whereAll(q.where)} ${q.order} LIMIT ${q.limit} OFFSET ${q.offset}) s
        ${q.perRow}
      ${q.order}`,
    total:
      q.where.length > 0
        ? Prisma.sql`SELECT count(*)::int AS total FROM (${q.rows}) s ${whereAll(q.where)}`
        : Prisma.sql`SELECT count(*)::int AS total FROM ${Prisma.raw(q.table)}`,
  };
}

/** A list page over `rows` whose every row carries its aggregates (`ctes` compute them once, by GROUP BY), counted by itself. */
export function aggregatedPageSql(q: { ctes: Prisma.Sql; rows: Prisma.Sql; where: readonly Prisma.Sql[]; order: Prisma.Sql; limit: number; offset: number }): TListSql {
  return {
    page: Prisma.sql`
      WITH ${q.ctes}
      SELECT s.*, (count(*) OVER ())::int AS total
        FROM (${q.rows}) s
      ${whereAll(q.where)}
      ${q.order}
      LIMIT ${q.limit} OFFSET ${q.offset}`,
    total: null,
  };
}
