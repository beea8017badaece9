import { type PrismaClient } from "@meridian/db";
import { rollUpDailyFromHourly, SAMPLE_RETENTION } from "@meridian/db/seed";
import { LAG_SLO_SECONDS, TIERS } from "@meridian/policy";

/**
 * The rollup job. Raw samples (`health_sample`, `lag_sample`, written per poll by the postgres
 * collector) become hourly rows, hourly rows become daily rows, and old rows are pruned:
 * raw after 48 h, hourly after 7 days (from the day start), daily after 400 days.
 *
 * Simulated instances have no collector: each run samples them from the inventory (their
 * current health and link lag) straight into the current hour, counting the minutes elapsed
 * since the last sample, so running twice in the same minute adds nothing.
 *
 * Every statement is an upsert that recomputes its bucket from its source (raw -> hourly for
 * the recent hours, hourly -> daily for the recent days): idempotent, and safe to run from
 * several processes (an advisory lock makes the others skip).
 */

export interface TRollupOptions {
  now?: Date;
  /** Collector poll interval: a raw sample stands for this long. */
  sampleIntervalMs: number;
  /** Hours of raw samples to (re)fold into hourly rows; the whole raw retention on the first run. */
  rawHours?: number;
}

export interface TRollupResult {
  skipped: boolean;
  rawHealthHours: number;
  rawLagHours: number;
  simulatedInstances: number;
  simulatedLinks: number;
  prunedRaw: number;
  prunedHourly: number;
  prunedDaily: number;
  durationMs: number;
}

const ROLLUP_LOCK = 7_311_210;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

const sloValues = () => TIERS.map((t) => `('${t}'::"Tier", ${Number(LAG_SLO_SECONDS[t])}::float8)`).join(", ");

export async function rollUpSamples(prisma: PrismaClient, options: TRollupOptions): Promise<TRollupResult> {
  const started = performance.now();
  const now = options.now ?? new Date();
  const hour = new Date(Math.floor(now.getTime() / HOUR_MS) * HOUR_MS);
  const today = new Date(Math.floor(now.getTime() / DAY_MS) * DAY_MS);
  const rawFrom = new Date(hour.getTime() - (options.rawHours ?? 2) * HOUR_MS + HOUR_MS);
  const minutesPerSample = options.sampleIntervalMs / 60_000;
  const elapsedMinutes = Math.max(1, Math.floor((now.getTime() - hour.getTime()) / 60_000));

  return prisma.$transaction(
    async (tx) => {
      const [{ locked }] = (await tx.$queryRawUnsafe<{ locked: boolean }[]>(
        `SELECT pg_try_advisory_xact_lock(${ROLLUP_LOCK}) AS locked`,
      )) as [{ locked: boolean }];
      const empty: TRollupResult = { skipped: true, rawHealthHours: 0, rawLagHours: 0, simulatedInstances: 0, simulatedLinks: 0, prunedRaw: 0, prunedHourly: 0, prunedDaily: 0, durationMs: 0 };
      if (!locked) return empty;

      // 1. Raw -> hourly (instances and links that have raw samples: the postgres collector's).
      const rawHealthHours = await tx.$executeRawUnsafe(
        `INSERT INTO health_sample_hourly (instance_id, bucket, data_center_id, region_code, team_id,
                up_minutes, degraded_minutes, down_minutes, unknown_minutes)
         SELECT hs.instance_id, date_trunc('hour', hs.at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC', i.data_center_id, dc.region_code, c.team_id,
                least(60, round(count(*) FILTER (WHERE hs.health = 'UP') * $2::float8))::int,
                least(60, round(count(*) FILTER (WHERE hs.health = 'DEGRADED') * $2::float8))::int,
                least(60, round(count(*) FILTER (WHERE hs.health = 'DOWN') * $2::float8))::int,
                least(60, round(count(*) FILTER (WHERE hs.health = 'UNKNOWN') * $2::float8))::int
           FROM health_sample hs
           JOIN instance i ON i.id = hs.instance_id
           JOIN data_center dc ON dc.id = i.data_center_id
           JOIN cluster c ON c.id = i.cluster_id
          WHERE hs.at >= $1
          GROUP BY 1, 2, 3, 4, 5
         ON CONFLICT (instance_id, bucket) DO UPDATE SET
           data_center_id = excluded.data_center_id, region_code = excluded.region_code, team_id = excluded.team_id,
           up_minutes = excluded.up_minutes, degraded_minutes = excluded.degraded_minutes,
           down_minutes = excluded.down_minutes, unknown_minutes = excluded.unknown_minutes`,
        rawFrom,
        minutesPerSample,
      );
      const rawLagHours = await tx.$executeRawUnsafe(
        `WITH slo(tier, s) AS (VALUES ${sloValues()})
         INSERT INTO lag_sample_hourly (link_id, bucket, region_code, team_id, tier, samples, avg_seconds, p95_seconds,
                max_seconds, max_bytes, minutes_above_slo)
         SELECT ls.link_id, date_trunc('hour', ls.at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC', tdc.region_code, c.team_id, c.tier,
                least(60, round(count(*) * $2::float8))::int,
                avg(ls.lag_seconds), percentile_cont(0.95) WITHIN GROUP (ORDER BY ls.lag_seconds), max(ls.lag_seconds),
                max(ls.lag_bytes), least(60, round(count(*) FILTER (WHERE ls.lag_seconds > slo.s) * $2::float8))::int
           FROM lag_sample ls
           JOIN replication_link l ON l.id = ls.link_id
           JOIN instance si ON si.id = l.source_id
           JOIN cluster c ON c.id = si.cluster_id
           JOIN instance ti ON ti.id = l.target_id
           JOIN data_center tdc ON tdc.id = ti.data_center_id
           JOIN slo ON slo.tier = c.tier
          WHERE ls.at >= $1
          GROUP BY 1, 2, 3, 4, 5
         ON CONFLICT (link_id, bucket) DO UPDATE SET
           region_code = excluded.region_code, team_id = excluded.team_id, tier = excluded.tier, samples = excluded.samples,
           avg_seconds = excluded.avg_seconds, p95_seconds = excluded.p95_seconds, max_seconds = excluded.max_seconds,
           max_bytes = excluded.max_bytes, minutes_above_slo = excluded.minutes_above_slo`,
        rawFrom,
        minutesPerSample,
      );

      // 2. Simulated fleet -> current hour: add the minutes since the last sample to the current state.
      const simulatedInstances = await tx.$executeRawUnsafe(
        `INSERT INTO health_sample_hourly AS h (instance_id, bucket, data_center_id, region_code, team_id,
                up_minutes, degraded_minutes, down_minutes, unknown_minutes)
         SELECT i.id, $1::timestamptz, i.data_center_id, dc.region_code, c.team_id,
                CASE WHEN i.health = 'UP' THEN $2::int ELSE 0 END, CASE WHEN i.health = 'DEGRADED' THEN $2::int ELSE 0 END,
                CASE WHEN i.health = 'DOWN' THEN $2::int ELSE 0 END, CASE WHEN i.health = 'UNKNOWN' THEN $2::int ELSE 0 END
           FROM instance i JOIN data_center dc ON dc.id = i.data_center_id JOIN cluster c ON c.id = i.cluster_id
          WHERE i.driver = 'SIMULATED'
         ON CONFLICT (instance_id, bucket) DO UPDATE SET
           up_minutes = h.up_minutes + CASE WHEN excluded.up_minutes > 0 THEN greatest(0, $2::int - (h.up_minutes + h.degraded_minutes + h.down_minutes + h.unknown_minutes)) ELSE 0 END,
           degraded_minutes = h.degraded_minutes + CASE WHEN excluded.degraded_minutes > 0 THEN greatest(0, $2::int - (h.up_minutes + h.degraded_minutes + h.down_minutes + h.unknown_minutes)) ELSE 0 END,
           down_minutes = h.down_minutes + CASE WHEN excluded.down_minutes > 0 THEN greatest(0, $2::int - (h.up_minutes + h.degraded_minutes + h.down_minutes + h.unknown_minutes)) ELSE 0 END,
           unknown_minutes = h.unknown_minutes + CASE WHEN excluded.unknown_minutes > 0 THEN greatest(0, $2::int - (h.up_minutes + h.degraded_minutes + h.down_minutes + h.unknown_minutes)) ELSE 0 END
         WHERE h.up_minutes + h.degraded_minutes + h.down_minutes + h.unknown_minutes < $2::int`,
        hour,
        elapsedMinutes,
      );
      const simulatedLinks = await tx.$executeRawUnsafe(
        `WITH slo(tier, s) AS (VALUES ${sloValues()})
         INSERT INTO lag_sample_hourly AS h (link_id, bucket, region_code, team_id, tier, samples, avg_seconds, p95_seconds,
                max_seconds, max_bytes, minutes_above_slo)
         SELECT l.id, $1::timestamptz, tdc.region_code, c.team_id, c.tier, $2::int, l.lag_seconds, l.lag_seconds, l.lag_seconds,
                l.lag_bytes, CASE WHEN l.lag_seconds > slo.s THEN $2::int ELSE 0 END
           FROM replication_link l
           JOIN instance si ON si.id = l.source_id
           JOIN cluster c ON c.id = si.cluster_id
           JOIN instance ti ON ti.id = l.target_id
           JOIN data_center tdc ON tdc.id = ti.data_center_id
           JOIN slo ON slo.tier = c.tier
          WHERE si.driver = 'SIMULATED' AND ti.driver = 'SIMULATED'
         ON CONFLICT (link_id, bucket) DO UPDATE SET
           avg_seconds = (h.avg_seconds * h.samples + excluded.avg_seconds * ($2::int - h.samples)) / $2::int,
           p95_seconds = greatest(h.p95_seconds, excluded.p95_seconds),
           max_seconds = greatest(h.max_seconds, excluded.max_seconds),
           max_bytes = greatest(h.max_bytes, excluded.max_bytes),
           minutes_above_slo = h.minutes_above_slo + CASE WHEN excluded.minutes_above_slo > 0 THEN $2::int - h.samples ELSE 0 END,
           samples = $2::int
         WHERE h.samples < $2::int`,
        hour,
        elapsedMinutes,
      );

      // 3. Hourly -> daily for yesterday and today.
      await rollUpDailyFromHourly(tx, new Date(today.getTime() - DAY_MS), new Date(today.getTime() + DAY_MS));

      // 4. Retention.
      const rawCutoff = new Date(now.getTime() - SAMPLE_RETENTION.rawHours * HOUR_MS);
      const prunedRaw =
        (await tx.$executeRawUnsafe("DELETE FROM health_sample WHERE at < $1", rawCutoff)) +
        (await tx.$executeRawUnsafe("DELETE FROM lag_sample WHERE at < $1", rawCutoff));
      const hourlyCutoff = new Date(today.getTime() - SAMPLE_RETENTION.hourlyDays * DAY_MS);
      const prunedHourly =
        (await tx.$executeRawUnsafe("DELETE FROM health_sample_hourly WHERE bucket < $1", hourlyCutoff)) +
        (await tx.$executeRawUnsafe("DELETE FROM lag_sample_hourly WHERE bucket < $1", hourlyCutoff));
      const dailyCutoff = new Date(today.getTime() - SAMPLE_RETENTION.dailyDays * DAY_MS);
      const prunedDaily =
        (await tx.$executeRawUnsafe("DELETE FROM health_sample_daily WHERE bucket < $1", dailyCutoff)) +
        (await tx.$executeRawUnsafe("DELETE FROM lag_sample_daily WHERE bucket < $1", dailyCutoff));

      return {
        skipped: false,
        rawHealthHours,
        rawLagHours,
        simulatedInstances,
        simulatedLinks,
        prunedRaw,
        prunedHourly,
        prunedDaily,
        durationMs: Math.round(performance.now() - started),
      };
    },
    { maxWait: 10_000, timeout: 120_000 },
  );
}
