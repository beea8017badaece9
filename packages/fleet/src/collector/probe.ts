import type pg from "pg";

/**
 * One round trip per instance and cycle: everything the collector needs from a managed
 * server, read from catalog views any role with `pg_monitor` (or `pg_read_all_stats`) can read.
 * Objects are those of the instance's database (publications, subscriptions, logical slots);
 * `pg_stat_replication` is server-wide (walsenders are matched by application_name, which a
 * subscription sets to its own name).
 */
export const PROBE_SQL = `
WITH w AS (
  SELECT pg_is_in_recovery() AS in_recovery,
         CASE WHEN pg_is_in_recovery() THEN NULL ELSE pg_current_wal_lsn() END AS lsn
)
SELECT w.in_recovery,
       w.lsn::text AS current_lsn,
       current_setting('server_version_num')::int AS version_num,
       current_setting('default_transaction_read_only') = 'on' AS read_only,
       EXISTS (SELECT 1 FROM pg_db_role_setting rs
                WHERE rs.setdatabase = (SELECT oid FROM pg_database WHERE datname = current_database()) AND rs.setrole = 0
                  AND rs.setconfig && ARRAY['default_transaction_read_only=on', 'default_transaction_read_only=true']) AS writes_fenced,
       (SELECT coalesce(json_agg(p.pubname ORDER BY p.pubname), '[]'::json) FROM pg_publication p) AS publications,
       (SELECT coalesce(json_agg(json_build_object(
                 'name', s.subname, 'enabled', s.subenabled, 'slot', s.subslotname,
                 'pid', st.pid, 'latestEndTime', st.latest_end_time, 'lastMsgReceiptTime', st.last_msg_receipt_time)
               ORDER BY s.subname), '[]'::json)
          FROM pg_subscription s
          LEFT JOIN pg_stat_subscription st ON st.subid = s.oid AND st.relid IS NULL
         WHERE s.subdbid = (SELECT oid FROM pg_database WHERE datname = current_database())) AS subscriptions,
       (SELECT coalesce(json_agg(json_build_object(
                 'name', r.slot_name, 'active', r.active, 'walStatus', r.wal_status,
                 'lagBytes', CASE WHEN w.lsn IS NULL OR r.confirmed_flush_lsn IS NULL THEN NULL
                                  ELSE greatest(pg_wal_lsn_diff(w.lsn, r.confirmed_flush_lsn), 0)::bigint END,
                 'retainedBytes', CASE WHEN w.lsn IS NULL OR r.restart_lsn IS NULL THEN NULL
                                       ELSE greatest(pg_wal_lsn_diff(w.lsn, r.restart_lsn), 0)::bigint END)
               ORDER BY r.slot_name), '[]'::json)
          FROM pg_replication_slots r
         WHERE r.slot_type = 'logical' AND r.database = current_database()) AS slots,
       (SELECT coalesce(json_agg(json_build_object(
                 'applicationName', a.application_name, 'state', a.state,
                 'replayLagSeconds', extract(epoch FROM a.replay_lag)::float8,
                 'lagBytes', CASE WHEN w.lsn IS NULL OR a.replay_lsn IS NULL THEN NULL
                                  ELSE greatest(pg_wal_lsn_diff(w.lsn, a.replay_lsn), 0)::bigint END)), '[]'::json)
          FROM pg_stat_replication a) AS walsenders
  FROM w`;

export interface TProbeSubscription {
  name: string;
  enabled: boolean;
  slot: string | null;
  /** Apply worker's pid; null when it does not run (disabled, or failing). */
  pid: number | null;
  latestEndTime: string | null;
  lastMsgReceiptTime: string | null;
}

export interface TProbeSlot {
  name: string;
  active: boolean;
  walStatus: string | null;
  /** WAL the consumer has not confirmed yet (current LSN - confirmed_flush_lsn). */
  lagBytes: number | null;
  /** WAL the server keeps for this slot (current LSN - restart_lsn). */
  retainedBytes: number | null;
}

export interface TProbeWalsender {
  applicationName: string;
  state: string | null;
  replayLagSeconds: number | null;
  lagBytes: number | null;
}

export interface TProbeResult {
  inRecovery: boolean;
  currentLsn: string | null;
  versionNum: number;
  readOnly: boolean;
  /**
   * The database carries Meridian's write fence (ALTER DATABASE ... SET
   * default_transaction_read_only = on, read from pg_db_role_setting: the collector's own
   * session may have its own default): new application sessions are read-only.
   */
  writesFenced: boolean;
  publications: string[];
  subscriptions: TProbeSubscription[];
  slots: TProbeSlot[];
  walsenders: TProbeWalsender[];
}

interface TProbeRow extends Record<string, unknown> {
  in_recovery: boolean;
  current_lsn: string | null;
  version_num: number;
  read_only: boolean;
  writes_fenced: boolean;
  publications: string[];
  subscriptions: TProbeSubscription[];
  slots: Array<Omit<TProbeSlot, "lagBytes" | "retainedBytes"> & { lagBytes: number | string | null; retainedBytes: number | string | null }>;
  walsenders: Array<Omit<TProbeWalsender, "lagBytes"> & { lagBytes: number | string | null }>;
}

const num = (v: number | string | null): number | null => (v === null || v === undefined ? null : Number(v));

/** Runs the probe on an open client. */
export async function probeInstance(client: Pick<pg.Client, "query">): Promise<TProbeResult> {
  const { rows } = await client.query<TProbeRow>(PROBE_SQL);
  const row = rows[0];
  if (!row) throw new Error("the probe returned no row");
  return {
    inRecovery: row.in_recovery,
    currentLsn: row.current_lsn,
    versionNum: row.version_num,
    readOnly: row.read_only,
    writesFenced: row.writes_fenced,
    publications: row.publications,
    subscriptions: row.subscriptions,
    slots: row.slots.map((s) => ({ ...s, lagBytes: num(s.lagBytes), retainedBytes: num(s.retainedBytes) })),
    walsenders: row.walsenders.map((w) => ({ ...w, lagBytes: num(w.lagBytes) })),
  };
}
