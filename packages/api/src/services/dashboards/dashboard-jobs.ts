import { type PrismaClient } from "@meridian/db";
import { rollUpSamples } from "./rollup-samples";
import { sweepResidency } from "./residency-sweep";

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
  log?: (line: string) => void;
}

const globalJobs = globalThis as unknown as { meridianDashboardJobs?: TDashboardJobs };

/**
 * The dashboards' scheduled work in the console process: the sample rollup (raw -> hourly ->
 * daily, retention) and the residency sweep, every minute; the first rollup folds the whole
 * 48 h of raw samples. Errors are logged and the next tick tries again.
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

/** Asks the running jobs (if any, in this process) for a residency sweep soon. */
export function kickResidencySweep(): void {
  globalJobs.meridianDashboardJobs?.kickResidencySweep();
}
