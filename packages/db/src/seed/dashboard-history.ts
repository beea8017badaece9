import type { PrismaClient, Prisma } from "../generated/prisma/client";

/**
 * A realistic 90-day history for the dashboards, written straight into the rollup tables with
 * set-based `generate_series` inserts (no raw per-minute rows: 90 days x 1,200 instances at one
 * minute would be ~155 million rows). What it writes:
 * - `health_sample_hourly` for the last 7 days + today's elapsed hours, per instance;
 * - `lag_sample_hourly` for the same hours, per replication link;
 * - `health_sample_daily` / `lag_sample_daily` for 90 days: older days generated directly,
 *   the days covered by hourly rows aggregated from them (the same statement the rollup job runs);
 * - about 6 change requests a day in terminal states (succeeded, failed, rolled back, rejected,
 *   cancelled, blocked by residency) with their executions, for the change-delivery view.
 * Values are deterministic for a given seed and `now` (row ids are random). Replaces the rollups
 * that are there; change requests are added.
 */

/** Retention of each sample resolution (also what the rollup job prunes to). */
export const SAMPLE_RETENTION = {
  rawHours: 48,
  /** Hourly rows are kept from the start of the day this many days ago. */
  hourlyDays: 7,
  dailyDays: 400,
} as const;

/** Days of history the demo seed writes. */
export const HISTORY_DAYS = 90;

/**
 * Lag SLO per tier in seconds, used to count minutes above SLO in the generated history.
 * Mirrors LAG_SLO_SECONDS in @meridian/policy (db may not import policy; an API test checks they agree).
 */
export const HISTORY_LAG_SLO_SECONDS = { T0: 5, T1: 30, T2: 120, T3: 600 } as const;

export interface TSeedHistoryOptions {
  seed?: number;
  /** Defaults to the current time. */
  now?: Date;
  /** Change requests per day (average). */
  changesPerDay?: number;
  log?: (line: string) => void;
}

export interface THistorySummary {
  healthHourly: number;
  healthDaily: number;
  lagHourly: number;
  lagDaily: number;
  changeRequests: number;
  durationMs: number;
}

type TDb = PrismaClient | Prisma.TransactionClient;

const sloValues = () =>
  Object.entries(HISTORY_LAG_SLO_SECONDS)
    .map(([tier, s]) => `('${tier}'::"Tier", ${Number(s)}::float8)`)
    .join(", ");

/**
 * Daily rollups of [fromDay, toDay) recomputed from the hourly rows (replacing what is there).
 * Used by the seed and by the rollup job; both timestamps must be UTC day starts.
 */
export async function rollUpDailyFromHourly(db: TDb, fromDay: Date, toDay: Date): Promise<void> {
  await db.$executeRawUnsafe(
    `INSERT INTO health_sample_daily (instance_id, bucket, data_center_id, region_code, team_id,
            up_minutes, degraded_minutes, down_minutes, unknown_minutes)
     SELECT instance_id, date_trunc('day', bucket AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS day,
            (array_agg(data_center_id ORDER BY bucket DESC))[1], (array_agg(region_code ORDER BY bucket DESC))[1],
            (array_agg(team_id ORDER BY bucket DESC))[1],
            sum(up_minutes)::int, sum(degraded_minutes)::int, sum(down_minutes)::int, sum(unknown_minutes)::int
       FROM health_sample_hourly
      WHERE bucket >= $1 AND bucket < $2
      GROUP BY instance_id, day
     ON CONFLICT (instance_id, bucket) DO UPDATE SET
       data_center_id = excluded.data_center_id, region_code = excluded.region_code, team_id = excluded.team_id,
       up_minutes = excluded.up_minutes, degraded_minutes = excluded.degraded_minutes,
       down_minutes = excluded.down_minutes, unknown_minutes = excluded.unknown_minutes`,
    fromDay,
    toDay,
  );
  await db.$executeRawUnsafe(
    `INSERT INTO lag_sample_daily (link_id, bucket, region_code, team_id, tier, samples, avg_seconds, p95_seconds,
            max_seconds, max_bytes, minutes_above_slo)
     SELECT link_id, date_trunc('day', bucket AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS day,
            (array_agg(region_code ORDER BY bucket DESC))[1], (array_agg(team_id ORDER BY bucket DESC))[1],
            (array_agg(tier ORDER BY bucket DESC))[1],
            sum(samples)::int,
            CASE WHEN sum(samples) > 0 THEN sum(avg_seconds * samples) / sum(samples) ELSE 0 END,
            percentile_cont(0.95) WITHIN GROUP (ORDER BY p95_seconds),
            max(max_seconds), max(max_bytes), sum(minutes_above_slo)::int
       FROM lag_sample_hourly
      WHERE bucket >= $1 AND bucket < $2
      GROUP BY link_id, day
     ON CONFLICT (link_id, bucket) DO UPDATE SET
       region_code = excluded.region_code, team_id = excluded.team_id, tier = excluded.tier,
       samples = excluded.samples, avg_seconds = excluded.avg_seconds, p95_seconds = excluded.p95_seconds,
       max_seconds = excluded.max_seconds, max_bytes = excluded.max_bytes, minutes_above_slo = excluded.minutes_above_slo`,
    fromDay,
    toDay,
  );
}

const DAY_MS = 86_400_000;

/** Writes the dashboard history. Fast: a handful of set-based statements. */
export async function seedDashboardHistory(prisma: PrismaClient, options: TSeedHistoryOptions = {}): Promise<THistorySummary> {
  const started = performance.now();
  const seed = options.seed ?? 42;
  const now = options.now ?? new Date();
  const nowHour = new Date(Math.floor(now.getTime() / 3_600_000) * 3_600_000);
  const today = new Date(Math.floor(now.getTime() / DAY_MS) * DAY_MS);
  const hourlyFrom = new Date(today.getTime() - SAMPLE_RETENTION.hourlyDays * DAY_MS);
  const dailyFrom = new Date(today.getTime() - (HISTORY_DAYS - 1) * DAY_MS);
  const perDay = options.changesPerDay ?? 6;
  const say = (line: string) => options.log?.(line);

  const summary = await prisma.$transaction(
    async (tx) => {
      await tx.$executeRawUnsafe(
        "TRUNCATE health_sample_hourly, health_sample_daily, lag_sample_hourly, lag_sample_daily",
      );

      // Health, hourly: mostly up; a few instance blips; data-center incidents (2-3 hours,
      // about one DC-day in 40) that degrade most of a data center at once.
      const healthHourly = await tx.$executeRawUnsafe(
        `WITH inst AS (
           SELECT i.id, row_number() OVER (ORDER BY i.id) AS n, i.data_center_id, dc.region_code, c.team_id,
                  dense_rank() OVER (ORDER BY dc.id) AS dcn
             FROM instance i JOIN data_center dc ON dc.id = i.data_center_id JOIN cluster c ON c.id = i.cluster_id
         ),
         hours AS (
           SELECT b AS bucket, (extract(epoch FROM b) / 3600)::bigint AS k
             FROM generate_series($1::timestamptz, $2::timestamptz - interval '1 hour', interval '1 hour') AS b
         ),
         g AS (
           SELECT inst.id, inst.data_center_id, inst.region_code, inst.team_id, hours.bucket,
                  abs(hashint8extended(inst.n * 1000003 + hours.k, $3)) % 100000 AS r,
                  (abs(hashint8extended(inst.dcn * 1000003 + hours.k / 24, $3 + 1)) % 1000) AS dr,
                  (hours.k % 24) AS hod
             FROM inst CROSS JOIN hours
         ),
         m AS (
           SELECT g.*,
                  CASE WHEN dr < 25 AND hod BETWEEN dr % 21 AND dr % 21 + 2 THEN true ELSE false END AS incident
             FROM g
         ),
         x AS (
           SELECT m.*,
                  CASE WHEN incident THEN 20 + r % 30 WHEN r % 1000 < 15 THEN 5 + r % 25 ELSE 0 END AS deg,
                  CASE WHEN incident AND r % 10 = 0 THEN 10 + r % 20 WHEN r % 1000 >= 990 THEN 5 + r % 25 ELSE 0 END AS down,
                  CASE WHEN r % 5000 = 4999 THEN 10 ELSE 0 END AS unk
             FROM m
         )
         INSERT INTO health_sample_hourly (instance_id, bucket, data_center_id, region_code, team_id,
                up_minutes, degraded_minutes, down_minutes, unknown_minutes)
         SELECT id, bucket, data_center_id, region_code, team_id, 60 - deg - down - unk, deg, down, unk FROM x`,
        hourlyFrom,
        nowHour,
        seed,
      );

      // Lag, hourly: a per-link baseline by mode, a daily swell, occasional spikes above SLO.
      const lagHourly = await tx.$executeRawUnsafe(
        `WITH slo(tier, s) AS (VALUES ${sloValues()}),
         links AS (
           SELECT l.id, row_number() OVER (ORDER BY l.id) AS n, tdc.region_code, c.team_id, c.tier, slo.s,
                  (0.05 + (abs(hashint8extended(row_number() OVER (ORDER BY l.id), $3 + 2)) % 300) / 100.0)
                    * CASE l.mode WHEN 'PHYSICAL' THEN 0.3 WHEN 'LOGICAL' THEN 1 ELSE 2 END AS base
             FROM replication_link l
             JOIN instance s ON s.id = l.source_id JOIN cluster c ON c.id = s.cluster_id
             JOIN instance t ON t.id = l.target_id JOIN data_center tdc ON tdc.id = t.data_center_id
             JOIN slo ON slo.tier = c.tier
         ),
         hours AS (
           SELECT b AS bucket, (extract(epoch FROM b) / 3600)::bigint AS k
             FROM generate_series($1::timestamptz, $2::timestamptz - interval '1 hour', interval '1 hour') AS b
         ),
         g AS (
           SELECT links.*, hours.bucket, abs(hashint8extended(links.n * 1000003 + hours.k, $3 + 3)) % 100000 AS r,
                  1 + 0.5 * sin(2 * pi() * ((hours.k % 24) - 8) / 24.0) AS swell
             FROM links CROSS JOIN hours
         ),
         v AS (
           SELECT g.*,
                  CASE WHEN r % 1000 < 6 THEN s * (0.6 + (r % 300) / 100.0)
                       WHEN r % 1000 < 30 THEN base * swell * 6
                       ELSE base * swell END AS avg_s
             FROM g
         ),
         w AS (
           SELECT v.*, avg_s * (1.6 + (r % 50) / 100.0) AS p95_s, avg_s * (1.6 + (r % 50) / 100.0) * 1.4 AS max_s FROM v
         )
         INSERT INTO lag_sample_hourly (link_id, bucket, region_code, team_id, tier, samples, avg_seconds, p95_seconds,
                max_seconds, max_bytes, minutes_above_slo)
         SELECT id, bucket, region_code, team_id, tier, 60, avg_s, p95_s, max_s, (max_s * 2000000)::bigint,
                CASE WHEN avg_s > s THEN 60 - r % 10 WHEN p95_s > s THEN 3 + r % 6 WHEN max_s > s THEN 1 ELSE 0 END
           FROM w`,
        hourlyFrom,
        nowHour,
        seed,
      );

      // Days covered by hourly rows: aggregated from them, as the rollup job does.
      await rollUpDailyFromHourly(tx, hourlyFrom, new Date(today.getTime() + DAY_MS));

      // Older days, generated per day directly.
      const healthDaily = await tx.$executeRawUnsafe(
        `WITH inst AS (
           SELECT i.id, row_number() OVER (ORDER BY i.id) AS n, i.data_center_id, dc.region_code, c.team_id,
                  dense_rank() OVER (ORDER BY dc.id) AS dcn
             FROM instance i JOIN data_center dc ON dc.id = i.data_center_id JOIN cluster c ON c.id = i.cluster_id
         ),
         days AS (
           SELECT b AS bucket, (extract(epoch FROM b) / 86400)::bigint AS d
             FROM generate_series($1::timestamptz, $2::timestamptz - interval '1 day', interval '1 day') AS b
         ),
         g AS (
           SELECT inst.*, days.bucket, abs(hashint8extended(inst.n * 1000003 + days.d, $3 + 4)) % 100000 AS r,
                  abs(hashint8extended(inst.dcn * 1000003 + days.d, $3 + 1)) % 1000 AS dr
             FROM inst CROSS JOIN days
         ),
         x AS (
           SELECT g.*,
                  (CASE WHEN dr < 25 THEN 60 + r % 90 ELSE 0 END) + (CASE WHEN r % 100 < 25 THEN 5 + r % 40 ELSE 0 END) AS deg,
                  (CASE WHEN dr < 25 AND r % 10 = 0 THEN 20 + r % 40 ELSE 0 END) + (CASE WHEN r % 100 >= 96 THEN 5 + r % 30 ELSE 0 END) AS down,
                  CASE WHEN r % 500 = 499 THEN 30 ELSE 0 END AS unk
             FROM g
         )
         INSERT INTO health_sample_daily (instance_id, bucket, data_center_id, region_code, team_id,
                up_minutes, degraded_minutes, down_minutes, unknown_minutes)
         SELECT id, bucket, data_center_id, region_code, team_id, 1440 - deg - down - unk, deg, down, unk FROM x`,
        dailyFrom,
        hourlyFrom,
        seed,
      );

      const lagDaily = await tx.$executeRawUnsafe(
        `WITH slo(tier, s) AS (VALUES ${sloValues()}),
         links AS (
           SELECT l.id, row_number() OVER (ORDER BY l.id) AS n, tdc.region_code, c.team_id, c.tier, slo.s,
                  (0.05 + (abs(hashint8extended(row_number() OVER (ORDER BY l.id), $3 + 2)) % 300) / 100.0)
                    * CASE l.mode WHEN 'PHYSICAL' THEN 0.3 WHEN 'LOGICAL' THEN 1 ELSE 2 END AS base
             FROM replication_link l
             JOIN instance s ON s.id = l.source_id JOIN cluster c ON c.id = s.cluster_id
             JOIN instance t ON t.id = l.target_id JOIN data_center tdc ON tdc.id = t.data_center_id
             JOIN slo ON slo.tier = c.tier
         ),
         days AS (
           SELECT b AS bucket, (extract(epoch FROM b) / 86400)::bigint AS d
             FROM generate_series($1::timestamptz, $2::timestamptz - interval '1 day', interval '1 day') AS b
         ),
         g AS (
           SELECT links.*, days.bucket, abs(hashint8extended(links.n * 1000003 + days.d, $3 + 5)) % 100000 AS r
             FROM links CROSS JOIN days
         ),
         v AS (
           SELECT g.*, base * (1.1 + (r % 40) / 100.0) * CASE WHEN r % 100 < 8 THEN 3 ELSE 1 END AS avg_s FROM g
         ),
         w AS (
           SELECT v.*, avg_s * 2.2 + CASE WHEN r % 100 < 5 THEN s * 0.8 ELSE 0 END AS p95_s FROM v
         )
         INSERT INTO lag_sample_daily (link_id, bucket, region_code, team_id, tier, samples, avg_seconds, p95_seconds,
                max_seconds, max_bytes, minutes_above_slo)
         SELECT id, bucket, region_code, team_id, tier, 1440, avg_s, p95_s, greatest(p95_s * 1.5, CASE WHEN r % 100 < 5 THEN s * 1.5 ELSE 0 END),
                (p95_s * 3000000)::bigint,
                CASE WHEN avg_s > s THEN 1440 - r % 200 WHEN r % 100 < 5 THEN 20 + r % 100 WHEN p95_s > s THEN 30 + r % 60 ELSE 0 END
           FROM w`,
        dailyFrom,
        hourlyFrom,
        seed,
      );

      const changeRequests = await seedChangeHistory(tx, { seed, now, fromDay: dailyFrom, perDay });
      return { healthHourly, lagHourly, healthDaily, lagDaily, changeRequests };
    },
    { maxWait: 30_000, timeout: 5 * 60_000 },
  );

  await prisma.$executeRawUnsafe("ANALYZE health_sample_hourly, health_sample_daily, lag_sample_hourly, lag_sample_daily");
  const counts = await prisma.$queryRawUnsafe<{ hd: number; ld: number }[]>(
    "SELECT (SELECT count(*) FROM health_sample_daily)::int AS hd, (SELECT count(*) FROM lag_sample_daily)::int AS ld",
  );
  const result: THistorySummary = {
    healthHourly: summary.healthHourly,
    lagHourly: summary.lagHourly,
    healthDaily: counts[0]?.hd ?? summary.healthDaily,
    lagDaily: counts[0]?.ld ?? summary.lagDaily,
    changeRequests: summary.changeRequests,
    durationMs: Math.round(performance.now() - started),
  };
  say(
    `seeded ${HISTORY_DAYS}-day dashboard history: ${result.healthHourly} hourly and ${result.healthDaily} daily health rows, ` +
      `${result.lagHourly} hourly and ${result.lagDaily} daily lag rows, ${result.changeRequests} past change requests in ${(result.durationMs / 1000).toFixed(1)} s`,
  );
  return result;
}

/**
 * Past change requests in terminal states, spread over the history window, with executions for
 * those that ran. Requesters are the demo users who may file changes; clusters are random.
 */
async function seedChangeHistory(
  tx: Prisma.TransactionClient,
  input: { seed: number; now: Date; fromDay: Date; perDay: number },
): Promise<number> {
  const total = Math.round(input.perDay * HISTORY_DAYS);
  const before = await tx.changeRequest.count();
  await tx.$executeRawUnsafe(
    `WITH requesters AS (
       SELECT array_agg(id ORDER BY email) AS ids FROM app_user
        WHERE roles && ARRAY['ENGINEER', 'DBA', 'TEAM_APPROVER']::"Role"[]
     ),
     clusters AS (
       SELECT id, name, team_id, home_jurisdiction_code AS home, row_number() OVER (ORDER BY id) AS n FROM cluster
     ),
     nc AS (SELECT count(*) AS c FROM clusters),
     base AS (
       SELECT s AS n,
              abs(hashint8extended(s, $1)) AS r1, abs(hashint8extended(s, $1 + 7)) AS r2,
              $2::timestamptz + ((abs(hashint8extended(s, $1 + 9)) % 1000000) / 1000000.0) * ($3::timestamptz - $2::timestamptz) AS created
         FROM generate_series(1, $4::int) AS s
     ),
     pick AS (
       SELECT b.*, c.id AS cluster_id, c.name AS cluster_name, c.team_id, c.home,
              (ARRAY['ADD_REPLICA','ADD_REPLICA','ADD_REPLICA','REMOVE_REPLICA','ADD_LINK','ADD_LINK','REMOVE_LINK','SWITCHOVER',
                     'MOVE_PRIMARY_REGION','SCHEMA_CHANGE','SCHEMA_CHANGE','SCHEMA_CHANGE','FAILOVER'])[1 + b.r1 % 13] AS kind,
              CASE WHEN b.r2 % 100 < 76 THEN 'SUCCEEDED' WHEN b.r2 % 100 < 82 THEN 'FAILED' WHEN b.r2 % 100 < 86 THEN 'ROLLED_BACK'
                   WHEN b.r2 % 100 < 91 THEN 'REJECTED' WHEN b.r2 % 100 < 96 THEN 'CANCELLED' ELSE 'BLOCKED' END AS status,
              (SELECT ids FROM requesters) AS rq
         FROM base b CROSS JOIN nc JOIN clusters c ON c.n = 1 + b.r1 % nc.c
     ),
     timed AS (
       SELECT p.*,
              p.created + make_interval(mins => (5 + p.r1 % 55)::int) AS submitted,
              p.created + make_interval(mins => (5 + p.r1 % 55)::int)
                        + make_interval(mins => (20 + (p.r2 / 100) % 2000 * CASE WHEN p.r2 % 7 = 0 THEN 3 ELSE 1 END)::int) AS decided
         FROM pick p
     ),
     ins AS (
       INSERT INTO change_request (id, kind, title, description, parameters, cluster_id, risk_level, risk_reasons,
              residency_verdict, residency_rule, requester_id, status, owner_team_ids, routing_notes,
              submitted_at, decided_at, created_at, updated_at)
       SELECT gen_random_uuid(), t.kind::"ChangeKind",
              initcap(replace(lower(t.kind), '_', ' ')) || ' on ' || t.cluster_name,
              'Seeded history (demo): a past change for the dashboards.',
              jsonb_build_object('kind', t.kind, 'history', true), t.cluster_id,
              (ARRAY['LOW','LOW','MEDIUM','MEDIUM','HIGH'])[1 + t.r2 % 5]::"RiskLevel", ARRAY[]::text[],
              CASE WHEN t.status = 'BLOCKED' THEN 'BLOCKED'::"ResidencyVerdict" ELSE 'WITHIN_HOME'::"ResidencyVerdict" END,
              CASE WHEN t.status = 'BLOCKED' THEN
                'residency/allowed-jurisdictions: ' || t.cluster_name || ' may not '
                || CASE WHEN t.kind IN ('MOVE_PRIMARY_REGION', 'SWITCHOVER') THEN 'place' ELSE 'replicate' END
                || ' data in ' || (ARRAY['US','EU','SG','BR','IN','JP'])[1 + t.r1 % 6] || ' (allowed: ' || t.home || ')'
              END,
              t.rq[1 + t.r1 % greatest(array_length(t.rq, 1), 1)], t.status::"ChangeStatus", ARRAY[t.team_id], ARRAY[]::text[],
              CASE WHEN t.status = 'CANCELLED' AND t.r1 % 2 = 0 THEN NULL ELSE t.submitted END,
              CASE WHEN t.status IN ('SUCCEEDED','FAILED','ROLLED_BACK','REJECTED') THEN t.decided END,
              t.created, t.decided
         FROM timed t
        WHERE t.decided < $3::timestamptz - interval '12 hours'
       RETURNING id, status, decided_at
     )
     INSERT INTO execution (id, request_id, attempt, status, plan_hash, started_at, finished_at, created_at, updated_at)
     SELECT gen_random_uuid(), ins.id, 1, ins.status::text::"ExecutionStatus", md5(ins.id::text) || md5(ins.id::text || 'x'),
            ins.decided_at + make_interval(mins => (abs(hashtext(ins.id::text)) % 600)::int),
            ins.decided_at + make_interval(mins => (abs(hashtext(ins.id::text)) % 600 + 3 + abs(hashtext(ins.id::text || 'd')) % 50)::int),
            ins.decided_at, ins.decided_at
       FROM ins
      WHERE ins.status IN ('SUCCEEDED','FAILED','ROLLED_BACK')`,
    input.seed,
    input.fromDay,
    input.now,
    total,
  );
  return (await tx.changeRequest.count()) - before;
}
