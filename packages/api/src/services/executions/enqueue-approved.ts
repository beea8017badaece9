import { type PrismaClient } from "@meridian/db";
import { enqueueExecutionIn, type TEnqueueResult } from "@meridian/orchestrator/engine";
import { engineDb } from "./engine-db";

/**
 * Called right after the last approval commits: enqueues the request's execution in a
 * transaction of its own, whose NOTIFY (delivered at commit) wakes a worker at once. Never
 * undoes or fails the approval: when this does not happen (the process dies in between, the
 * database is briefly unreachable), the workers' sweep enqueues every approved request that has
 * no execution for its plan within a second. Returns null then.
 */
export async function enqueueApprovedRequest(prisma: PrismaClient, requestId: string): Promise<TEnqueueResult | null> {
  try {
    return await prisma.$transaction((tx) => enqueueExecutionIn(engineDb(tx), requestId));
  } catch {
    return null; // the sweep is the safety net
  }
}
