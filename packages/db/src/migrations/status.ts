import { readMigrations } from "./migrations-dir";

/** Anything that runs a query and returns rows: a pg Pool/Client or a thin wrapper over Prisma. */
export type TQuery = (sql: string) => Promise<Array<Record<string, unknown>>>;

export interface TMigrationStatus {
  upToDate: boolean;
  applied: string[];
  pending: string[];
  /** Applied migrations whose migration.sql changed since they were applied. */
  edited: string[];
  /** Started but never finished (a failed migration that needs attention). */
  failed: string[];
  /** In the database but not on disk (a newer deployment ran against this database). */
  unknown: string[];
}

/**
 * Migration status from plain SQL against `_prisma_migrations` and the folders on disk.
 * Cheap enough for a health endpoint (no schema engine, no shadow database).
 */
export async function migrationStatus(query: TQuery, migrationsDir: string): Promise<TMigrationStatus> {
  const onDisk = readMigrations(migrationsDir);
  const exists = await query(`select to_regclass('public._prisma_migrations') is not null as present`);
  const rows = exists[0]?.present
    ? await query(
        `select migration_name, checksum, finished_at is not null as finished, rolled_back_at is not null as rolled_back
           from _prisma_migrations order by started_at`,
      )
    : [];
  const live = rows.filter((r) => !r.rolled_back);
  const appliedRows = new Map(live.filter((r) => r.finished).map((r) => [String(r.migration_name), String(r.checksum)]));
  const failed = live.filter((r) => !r.finished).map((r) => String(r.migration_name));
  const diskNames = new Set(onDisk.map((m) => m.name));
  const applied = onDisk.filter((m) => appliedRows.has(m.name)).map((m) => m.name);
  const pending = onDisk.filter((m) => !appliedRows.has(m.name) && !failed.includes(m.name)).map((m) => m.name);
  const edited = onDisk.filter((m) => appliedRows.has(m.name) && appliedRows.get(m.name) !== m.checksum).map((m) => m.name);
  const unknown = [...appliedRows.keys()].filter((n) => !diskNames.has(n));
  return {
    upToDate: pending.length === 0 && failed.length === 0 && edited.length === 0,
    applied,
    pending,
    edited,
    failed,
    unknown,
  };
}
