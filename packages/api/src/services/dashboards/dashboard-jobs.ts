import { type PrismaClient } from "@meridian/db";
import { ZDashboardFilterSchema } from "../../routers/dashboards/dashboard.schema";
import { computeFleetHealth } from "./fleet-health";
import { computeReplicationLag } from "./replication-lag";
import { dashboardCacheKey, refreshDashboard } from "./result-cache";
import { rollUpSamples } from "./rollup-samples";
import { sweepResidency } from "./residency-sweep";

/** The unfiltered views whose heavy aggregates are refreshed after each rollup. */
const WARM_RANGES = ["24h", "7d", "30d", "90d"] as const;

async function warmDashboards(prisma: PrismaClient): Promise<void> {
  for (const range of WARM_RANGES) {
    const filter = ZDashboardFilterSchema.parse({ range });
    await refreshDashboard(prisma, dashboardCacheKey("fleetHealth", filter), () => computeFleetHealth(prisma, filter, new Date()));
    await refreshDashboard(prisma, dashboardCacheKey("replicationLag", filter), () => computeReplicationLag(prisma, filter, new Date()));
  }
}

export interface TDashboardJobs {
  /** Runs a residency sweep soon (after a write that may move data out of policy). */
  kickResidencySweep: () => void;
  stop: () => void;
}

export interface TDashboardJobOptions {
  /** Collector poll interval (a raw sample stands for this long). */
  sampleIntervalMs: number;
  /** How often the rollup and the residency sweep run. Default 60 s. */
  everyMs?: number;
  /** Refresh the unfiltered fleet health and lag views after each rollup (default on). */
  warm?: boolean;
  log?: (line: string) => void;
}

const globalJobs = globalThis as unknown as { meridianDashboardJobs?: TDashboardJobs };

/**
 * The dashboards' scheduled work in the console process: the sample rollup (raw -> hourly ->
 * daily, retention) and the residency sweep, every minute, then a refresh of the unfiltered
 * fleet health and lag views in the result cache (their aggregates are the heaviest); the first
 * rollup folds the whole 48 h of raw samples. Errors are logged and the next tick tries again.
 */
export function startDashboardJobs(prisma: PrismaClient, options: TDashboardJobOptions): TDashboardJobs {
  if (globalJobs.meridianDashboardJobs) return globalJobs.meridianDashboardJobs;
  const log = options.log ?? (() => {});
  const everyMs = options.everyMs ?? 60_000;
  let first = true;
  let running = false;
  let sweepTimer: NodeJS.Timeout | null = null;

  const tick = async () => {
    if (running) return;
    running = true;
    try {
      const r = await rollUpSamples(prisma, { sampleIntervalMs: options.sampleIntervalMs, rawHours: first ? 48 : 2 });
      if (first && !r.skipped) log(`sample rollup: ${r.rawHealthHours + r.rawLagHours} raw-hour rows, ${r.simulatedInstances} simulated instances, ${r.simulatedLinks} simulated links, in ${r.durationMs} ms`);
      first = false;
      const s = await sweepResidency(prisma);
      if (s.opened || s.closed) log(`residency sweep: ${s.opened} finding(s) opened, ${s.closed} closed, ${s.open} open`);
      if (options.warm !== false) await warmDashboards(prisma);
    } catch (error) {
      console.error("[meridian] dashboard jobs:", error instanceof Error ? error.message : error);
    } finally {
      running = false;
    }
  };

  const timer = setInterval(() => void tick(), everyMs);
  timer.unref();
  const initial = setTimeout(() => void tick(), 2_000);
  initial.unref();

  const jobs: TDashboardJobs = {
    kickResidencySweep: () => {
      if (sweepTimer) return;
      sweepTimer = setTimeout(() => {
        sweepTimer = null;
        sweepResidency(prisma).catch((error: unknown) => console.error("[meridian] residency sweep:", error));
      }, 500);
      sweepTimer.unref();
    },
    stop: () => {
      clearInterval(timer);
      clearTimeout(initial);
      if (sweepTimer) clearTimeout(sweepTimer);
      globalJobs.meridianDashboardJobs = undefined;
    },
  };
  globalJobs.meridianDashboardJobs = jobs;
  return jobs;
}

/**
 * An execution worker's `onEvent` that sweeps residency soon after an execution finishes (a
 * link or a replica created, removed or moved by a change can put data out of policy or bring
 * it back), instead of at the next minute's sweep. Debounced: one sweep for a burst of
 * finishes; the sweep covers the whole fleet (it is one statement set, serialised by its lock).
 * Only executions run by a worker in this process are seen: standalone workers still rely on
 * the one-minute schedule.
 */
export function residencySweepOnExecutionFinished(prisma: PrismaClient, options: { delayMs?: number; log?: (line: string) => void } = {}): (event: { type: string }) => void {
  let timer: NodeJS.Timeout | null = null;
  return (event) => {
    if (event.type !== "finished" || timer) return;
    timer = setTimeout(() => {
      timer = null;
      sweepResidency(prisma).then(
        (s) => {
          if (s.opened || s.closed) options.log?.(`residency sweep after an execution: ${s.opened} finding(s) opened, ${s.closed} closed, ${s.open} open`);
        },
        (error: unknown) => console.error("[meridian] residency sweep:", error instanceof Error ? error.message : error),
      );
    }, options.delayMs ?? 250);
    timer.unref();
  };
}

/** Asks the running jobs (if any, in this process) for a residency sweep soon. */
export function kickResidencySweep(): void {
  globalJobs.meridianDashboardJobs?.kickResidencySweep();
}
