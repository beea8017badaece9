import type pg from "pg";
import { type TQueryable } from "@meridian/orchestrator/engine";
import { type TDb } from "../audit/append-audit-event";

/**
 * The engine's store speaks plain SQL through `TQueryable` (a pg Pool or client). This adapter
 * runs those statements on a Prisma client or, inside `prisma.$transaction`, on its
 * transaction: an operator action, its audit event and the engine's NOTIFY (delivered at
 * commit) then commit together or not at all, on the same connection as the rest of the API.
 *
 * Prisma cannot deserialize a `void` column, so the engine's `SELECT pg_notify(...)` (whose
 * result nobody reads) runs as a statement without rows.
 */
const VOID_SELECT = /^\s*SELECT\s+pg_notify\s*\(/i;

export function engineDb(db: TDb): TQueryable {
  return {
    async query<R extends pg.QueryResultRow = pg.QueryResultRow>(
      textOrConfig: string | pg.QueryConfig,
      values: unknown[] = [],
    ): Promise<pg.QueryResult<R>> {
      // The engine sends its hot statements as named (prepared) queries; Prisma prepares by itself.
      const text = typeof textOrConfig === "string" ? textOrConfig : textOrConfig.text;
      if (typeof textOrConfig !== "string") values = textOrConfig.values ?? [];
      if (VOID_SELECT.test(text)) {
        const count = await db.$executeRawUnsafe(text, ...values);
        return { rows: [], rowCount: count, command: "SELECT", oid: 0, fields: [] };
      }
      const rows = await db.$queryRawUnsafe<R[]>(text, ...values);
      return { rows, rowCount: rows.length, command: "", oid: 0, fields: [] };
    },
  };
}
