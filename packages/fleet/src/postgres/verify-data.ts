import type pg from "pg";
import { ActionError, sleep, type TJsonObject } from "../driver";
import { type TTableDef } from "./catalog-copy";
import { qualified, quoteIdent, serverQuery, tableKey } from "./server-state";

/**
 * Data verification of a link: per table, the row count and an order-independent checksum,
 * computed on each side after the subscriber has confirmed the source's current WAL position.
 *
 * Checksum: the sum, as numeric, of the first 60 bits of md5(ROW(<columns in the source's
 * order>)::text) over all rows. A sum does not depend on the order rows are read in; the row
 * text includes the primary key and every column, so a changed value, a missing row or an extra
 * row changes it. Both sessions print values the same way (UTC, ISO dates, full float digits).
 */
export interface TTableVerification extends TJsonObject {
  table: string;
  sourceRows: number;
  targetRows: number;
  sourceChecksum: string;
  targetChecksum: string;
  match: boolean;
}

export interface TLinkVerification extends TJsonObject {
  ok: boolean;
  checkedAt: string;
  /** Source WAL position the target had confirmed before counting. */
  sourceLsn: string;
  tables: TTableVerification[];
  /** Names of the tables that differ. */
  differing: string[];
}

const SESSION_SETTINGS = [
  "SET TimeZone = 'UTC'",
  "SET DateStyle = 'ISO, YMD'",
  "SET IntervalStyle = 'postgres'",
  "SET extra_float_digits = 3",
  "SET bytea_output = 'hex'",
];

export async function prepareChecksumSession(client: pg.Client, server: string): Promise<void> {
  for (const s of SESSION_SETTINGS) await serverQuery(client, server, "Preparing the session", s);
}

export function checksumSql(def: TTableDef): string {
  const row = `ROW(${def.columns.map((c) => `t.${quoteIdent(c.name)}`).join(", ")})::text`;
  return `SELECT count(*)::text AS n, COALESCE(sum(('x' || substr(md5(${row}), 1, 15))::bit(60)::bigint), 0)::text AS sum FROM ${qualified(def)} t`;
}

export async function tableChecksum(client: pg.Client, server: string, def: TTableDef): Promise<{ rows: number; checksum: string }> {
  const rows = await serverQuery<{ n: string; sum: string }>(client, server, `Checksumming ${tableKey(def)}`, checksumSql(def));
  return { rows: Number(rows[0]?.n ?? 0), checksum: rows[0]?.sum ?? "0" };
}

/**
 * Waits until the subscriber has confirmed the source's current WAL position (the apply
 * worker's replay position in pg_stat_replication, or the slot's confirmed_flush_lsn).
 * Returns that position; throws a retryable ActionError after `timeoutMs`.
 */
export async function waitForConfirmedLsn(
  source: pg.Client,
  sourceName: string,
  names: { subscription: string; slot: string },
  options: { signal?: AbortSignal; timeoutMs: number; pollMs?: number },
): Promise<string> {
  const lsnRows = await serverQuery<{ lsn: string }>(source, sourceName, "Reading the WAL position", `SELECT pg_current_wal_lsn()::text AS lsn`);
  const lsn = lsnRows[0]!.lsn;
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const rows = await serverQuery<{ done: boolean | null; slot: boolean }>(
      source,
      sourceName,
      "Reading the subscriber's position",
      `SELECT GREATEST(
                (SELECT max(replay_lsn) FROM pg_stat_replication WHERE application_name = $2),
                (SELECT confirmed_flush_lsn FROM pg_replication_slots WHERE slot_name = $3)) >= $1::pg_lsn AS done,
              EXISTS (SELECT 1 FROM pg_replication_slots WHERE slot_name = $3) AS slot`,
      [lsn, names.subscription, names.slot],
    );
    const r = rows[0];
    if (!r?.slot)
      throw new ActionError(`${sourceName} has no replication slot ${names.slot}: the link is not replicating`, {
        retryable: false,
        humanAction: "Remove the link (REMOVE_LINK) and add it again",
      });
    if (r.done) return lsn;
    if (Date.now() > deadline)
      throw new ActionError(`The target has not confirmed ${sourceName}'s WAL position ${lsn} within ${Math.round(options.timeoutMs / 1000)} s`, {
        retryable: true,
        humanAction: "Check that the link is not paused and that the target is up (its log shows apply errors), then retry",
      });
    await sleep(options.pollMs ?? 200, options.signal);
  }
}

/**
 * Compares every table of the link on both sides. A table that differs is counted again (up
 * to `rounds` times, the target having confirmed the source's newest position each time) before
 * it is reported: rows written on the source while counting would otherwise show as a
 * difference that replication removes a moment later.
 */
export async function verifyTables(args: {
  source: pg.Client;
  sourceName: string;
  target: pg.Client;
  targetName: string;
  defs: readonly TTableDef[];
  names: { subscription: string; slot: string };
  signal?: AbortSignal;
  timeoutMs: number;
  rounds?: number;
}): Promise<TLinkVerification> {
  await prepareChecksumSession(args.source, args.sourceName);
  await prepareChecksumSession(args.target, args.targetName);
  const results = new Map<string, TTableVerification>();
  let pending = [...args.defs];
  let lsn = "0/0";
  const rounds = args.rounds ?? 3;
  for (let round = 0; round < rounds && pending.length > 0; round++) {
    if (round > 0) await sleep(300, args.signal);
    lsn = await waitForConfirmedLsn(args.source, args.sourceName, args.names, { ...(args.signal ? { signal: args.signal } : {}), timeoutMs: args.timeoutMs });
    const next: TTableDef[] = [];
    for (const def of pending) {
      const s = await tableChecksum(args.source, args.sourceName, def);
      const t = await tableChecksum(args.target, args.targetName, def);
      const match = s.rows === t.rows && s.checksum === t.checksum;
      results.set(tableKey(def), {
        table: tableKey(def),
        sourceRows: s.rows,
        targetRows: t.rows,
        sourceChecksum: s.checksum,
        targetChecksum: t.checksum,
        match,
      });
      if (!match) next.push(def);
    }
    pending = next;
  }
  const tables = args.defs.map((d) => results.get(tableKey(d))!);
  const differing = tables.filter((t) => !t.match).map((t) => t.table);
  return { ok: differing.length === 0, checkedAt: new Date().toISOString(), sourceLsn: lsn, tables, differing };
}
