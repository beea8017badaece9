import { type PrismaClient } from "@meridian/db";

/**
 * A short-lived, per-process cache of dashboard results. The rollups change at most once a
 * minute (the rollup job's period) and every viewer of a range asks the same aggregate, so a
 * result is reused for TTL_MS per (database client, procedure, filters). Concurrent callers of
 * the same key share one computation. Times inside a cached result are those of its computation.
 */
export const DASHBOARD_CACHE_TTL_MS = 75_000;
const MAX_ENTRIES = 500;

interface TEntry {
  at: number;
  value: Promise<unknown>;
}

const caches = new WeakMap<PrismaClient, Map<string, TEntry>>();

export function cachedDashboard<T>(prisma: PrismaClient, key: string, compute: () => Promise<T>, nowMs = Date.now()): Promise<T> {
  let cache = caches.get(prisma);
  if (!cache) {
    cache = new Map();
    caches.set(prisma, cache);
  }
  const hit = cache.get(key);
  if (hit && nowMs - hit.at < DASHBOARD_CACHE_TTL_MS) return hit.value as Promise<T>;
  const value = compute();
  cache.set(key, { at: nowMs, value });
  // A failure is not cached.
  value.catch(() => {
    if (cache.get(key)?.value === value) cache.delete(key);
  });
  if (cache.size > MAX_ENTRIES) {
    for (const [k, e] of cache) if (nowMs - e.at >= DASHBOARD_CACHE_TTL_MS || cache.size > MAX_ENTRIES) cache.delete(k);
  }
  return value;
}

/** Forgets every cached result of `prisma` (after a sweep or a rollup that changed what the dashboards show). */
export function clearDashboardCache(prisma: PrismaClient): void {
  caches.get(prisma)?.clear();
}

/** The cache key of a procedure's result for a parsed filter (the procedures and the jobs agree on it). */
export function dashboardCacheKey(procedure: string, filter: unknown): string {
  return `${procedure}:${JSON.stringify(filter)}`;
}

/** Computes a result now and stores it (replacing any cached one), for the jobs' refresh. */
export async function refreshDashboard<T>(prisma: PrismaClient, key: string, compute: () => Promise<T>): Promise<T> {
  const value = await compute();
  let cache = caches.get(prisma);
  if (!cache) {
    cache = new Map();
    caches.set(prisma, cache);
  }
  cache.set(key, { at: Date.now(), value: Promise.resolve(value) });
  return value;
}
