import { type THealthStatus } from "../../routers/inventory/inventory.schema";

export interface THealthCounts {
  up: number;
  degraded: number;
  down: number;
  unknown: number;
}

export const EMPTY_HEALTH_COUNTS: THealthCounts = { up: 0, degraded: 0, down: 0, unknown: 0 };

/** The same roll-up as `healthRollupSql`, for counts already in memory. */
export function rollupHealth(counts: THealthCounts, primaryDown = false): THealthStatus {
  if (counts.up + counts.degraded + counts.down === 0) return "UNKNOWN";
  if (primaryDown) return "DOWN";
  if (counts.up + counts.degraded === 0) return "DOWN";
  if (counts.degraded + counts.down > 0) return "DEGRADED";
  return "UP";
}

export function healthCountsFrom(groups: readonly { health: string; count: number }[]): THealthCounts {
  const counts = { ...EMPTY_HEALTH_COUNTS };
  for (const g of groups) {
    if (g.health === "UP") counts.up += g.count;
    else if (g.health === "DEGRADED") counts.degraded += g.count;
    else if (g.health === "DOWN") counts.down += g.count;
    else counts.unknown += g.count;
  }
  return counts;
}
