import { randomBytes } from "node:crypto";
import os from "node:os";
import pg from "pg";
import { type TSql, type TStepDriver } from "@meridian/fleet";
import { messageOf } from "./errors";
import {
  EXECUTION_CHANNEL,
  claimNextExecution,
  enqueueExecution,
  findUnqueuedApprovedRequests,
  refuseStaleExecutions,
} from "./execution-store";
import { firstAttemptOf, runClaimedExecution, type TEngineEvent } from "./executor";

export interface TWorkerOptions {
  /** Metadata database. Either this or `pool`. */
  databaseUrl?: string;
  /** A pool to use (not closed by stop()). Needs `concurrency + 2` connections. */
  pool?: pg.Pool;
  /** Unique per worker; shown as the lease owner and as the connections' application_name. */
  workerId?: string;
  /** Executions run at once by this worker. Default 4. */
  concurrency?: number;
  /** Lease length; the heartbeat renews it every third of it. Default 15 s. */
  leaseMs?: number;
  /** Polling interval, the fallback when a notification is missed. Default 1 s. */
  pollMs?: number;
  /** How long stop() lets running attempts finish before abandoning them. Default 15 s. */
  stopTimeoutMs?: number;
  /** LISTEN for wake-ups. Default true. */
  listen?: boolean;
  /**
   * Enqueue approved (or scheduled) requests that have no execution for their plan yet, so that
   * an approval is never lost between the API's commit and its enqueue call. Default true.
   */
  enqueueApproved?: boolean;
  driver: TStepDriver;
  /** Human-readable lines (default: nothing). */
  log?: (line: string) => void;
  /** Structured events (tests, metrics). */
  onEvent?: (event: TEngineEvent) => void;
}

export interface TWorker {
  readonly workerId: string;
  /** Resolves once the driver is prepared and the worker listens. */
  readonly ready: Promise<void>;
  /** Executions this worker runs now. */
  readonly active: number;
  /** Look for work now. */
  wake: () => void;
  /** Stops claiming, lets running steps finish (up to stopTimeoutMs), releases leases, closes connections. */
  stop: () => Promise<void>;
}

export function defaultWorkerId(): string {
  return `${os.hostname()}-${process.pid}-${randomBytes(3).toString("hex")}`;
}

/** How often QUEUED executions of requests that are no longer approved are refused. */
const SWEEP_EVERY_MS = 1_000;

/**
 * Starts a worker: claims runnable executions (oldest first, up to `concurrency` at once) and
 * runs them with `driver`. Wakes on NOTIFY (channel `meridian_execution`) and polls every
 * `pollMs` as the fallback. Workers coordinate only through PostgreSQL: run as many as you like,
 * in as many processes and machines as you like.
 */
export function startWorker(options: TWorkerOptions): TWorker {
  const workerId = options.workerId ?? defaultWorkerId();
  const concurrency = Math.max(1, options.concurrency ?? 4);
  const leaseMs = Math.max(300, options.leaseMs ?? 15_000);
  const pollMs = Math.max(20, options.pollMs ?? 1_000);
  const stopTimeoutMs = options.stopTimeoutMs ?? 15_000;
  const log = options.log ?? (() => {});
  const onEvent = options.onEvent ?? (() => {});
  if (!options.pool && !options.databaseUrl) throw new Error("startWorker needs databaseUrl or pool");

  const ownPool = !options.pool;
  const pool =
    options.pool ??
    new pg.Pool({
      connectionString: options.databaseUrl,
      max: concurrency + 2,
      application_name: workerId.slice(0, 63),
      // The worker's statements are short keyed reads and writes, prepared once per connection
      // (prepared.ts): plan them once too. PostgreSQL's default re-plans a prepared statement
      // whenever a custom plan looks cheaper, which for these costs more than running them.
      options: "-c plan_cache_mode=force_generic_plan",
    });
  pool.on("error", (error) => log(`[${workerId}] idle database connection lost: ${messageOf(error)}`));

  const running = new Set<Promise<void>>();
  const hardStop = new AbortController();
  let stopping = false;
  let pumping = false;
  let pumpAgain = false;
  let lastSweep = 0;
  /** Requests whose enqueue failed (e.g. a plan that no longer matches its hash): not retried for a minute. */
  const enqueueFailures = new Map<string, number>();
  let listener: pg.Client | null = null;
  let reconnectTimer: NodeJS.Timeout | null = null;
  /** Wake-ups at the end of retries' backoffs that this worker handed back (the wait itself is in the database). */
  const wakeTimers = new Set<NodeJS.Timeout>();

  const emit = (event: TEngineEvent) => {
    try {
      onEvent(event);
    } catch (error) {
      log(`[${workerId}] onEvent threw: ${messageOf(error)}`);
    }
    switch (event.type) {
      case "claimed":
        log(`[${workerId}] claimed ${event.executionId} (token ${event.fencingToken}, ${event.status})`);
        break;
      case "finished":
        log(`[${workerId}] ${event.executionId} ${event.status}`);
        break;
      case "released":
        if (event.reason === "frozen") log(`[${workerId}] ${event.executionId} paused by a change freeze`);
        if (event.wakeInMs !== undefined && !stopping) {
          const timer = setTimeout(() => {
            wakeTimers.delete(timer);
            void pump();
          }, event.wakeInMs + 5);
          wakeTimers.add(timer);
        }
        break;
      case "lease-lost":
        log(`[${workerId}] lost the lease on ${event.executionId}: stopped working on it`);
        break;
      case "infrastructure-error":
      case "bug":
        log(`[${workerId}] ${event.type} on ${event.executionId ?? "-"}: ${event.message}`);
        break;
      default:
        break;
    }
  };

  let prepared = false;
  const prepare = async (): Promise<void> => {
    if (prepared) return;
    await options.driver.prepare?.(pool as unknown as TSql);
    prepared = true;
  };

  const deps = { pool, driver: options.driver, workerId, leaseMs, onEvent: emit, isStopping: () => stopping, hardStop: hardStop.signal };

  const pump = async (): Promise<void> => {
    if (stopping) return;
    if (pumping) {
      pumpAgain = true;
      return;
    }
    pumping = true;
    try {
      await prepare(); // retried here until the database answers
      do {
        pumpAgain = false;
        // Claim first: a wake-up (an approval's NOTIFY) must not wait behind the sweep.
        while (!stopping && running.size < concurrency) {
          // The claim also starts the first attempt, in the same round trip.
          const claim = await claimNextExecution(pool, { workerId, leaseMs }, (claimed) => firstAttemptOf(deps, claimed));
          if (!claim) break;
          const task = runClaimedExecution(deps, claim).finally(() => {
            running.delete(task);
            void pump();
          });
          running.add(task);
        }
        if (!stopping && Date.now() - lastSweep >= SWEEP_EVERY_MS) {
          lastSweep = Date.now();
          const refused = await refuseStaleExecutions(pool);
          if (refused > 0) log(`[${workerId}] refused ${refused} queued execution(s): request no longer approved or plan changed`);
          const enqueued = options.enqueueApproved !== false ? await enqueueApproved() : 0;
          if (enqueued > 0) pumpAgain = true; // claim what the sweep just enqueued
        }
      } while (pumpAgain && !stopping);
    } catch (error) {
      emit({ type: "infrastructure-error", executionId: null, message: `claiming: ${messageOf(error)}` });
    } finally {
      pumping = false;
    }
  };

  const enqueueApproved = async (): Promise<number> => {
    let enqueued = 0;
    const now = Date.now();
    for (const [id, at] of enqueueFailures) if (now - at > 60_000) enqueueFailures.delete(id);
    for (const requestId of await findUnqueuedApprovedRequests(pool)) {
      if (enqueueFailures.has(requestId)) continue;
      try {
        const { executionId, created } = await enqueueExecution(pool, requestId);
        if (created) {
          enqueued += 1;
          log(`[${workerId}] enqueued approved request ${requestId} as execution ${executionId}`);
        }
      } catch (error) {
        enqueueFailures.set(requestId, now);
        log(`[${workerId}] cannot enqueue approved request ${requestId}: ${messageOf(error)}`);
      }
    }
    return enqueued;
  };

  const connectListener = async (): Promise<void> => {
    if (stopping || options.listen === false) return;
    const client = new pg.Client({ ...(pool.options as pg.ClientConfig), application_name: `${workerId}-listen`.slice(0, 63) });
    const retry = () => {
      if (listener === client) listener = null;
      client.removeAllListeners("notification");
      if (!stopping && !reconnectTimer)
        reconnectTimer = setTimeout(() => {
          reconnectTimer = null;
          void connectListener();
        }, 1_000);
    };
    client.on("error", (error) => {
      log(`[${workerId}] listen connection lost: ${messageOf(error)}`);
      retry();
    });
    client.on("end", retry);
    client.on("notification", () => void pump());
    try {
      await client.connect();
      await client.query(`LISTEN ${EXECUTION_CHANNEL}`);
      if (stopping) {
        await client.end().catch(() => {});
        return;
      }
      listener = client;
      void pump(); // anything enqueued while we were not listening
    } catch (error) {
      log(`[${workerId}] cannot listen: ${messageOf(error)}`);
      await client.end().catch(() => {});
      retry();
    }
  };

  const ready = (async () => {
    await prepare();
    await connectListener();
  })();
  ready.catch((error: unknown) => log(`[${workerId}] start failed: ${messageOf(error)}`));

  const poller = setInterval(() => void pump(), pollMs);
  void ready.then(() => pump()).catch(() => {});

  return {
    workerId,
    ready,
    get active() {
      return running.size;
    },
    wake: () => void pump(),
    stop: async () => {
      if (stopping) return;
      stopping = true;
      clearInterval(poller);
      if (reconnectTimer) clearTimeout(reconnectTimer);
      for (const timer of wakeTimers) clearTimeout(timer);
      wakeTimers.clear();
      const l = listener;
      listener = null;
      if (l) {
        l.removeAllListeners("end");
        await l.end().catch(() => {});
      }
      const grace = setTimeout(() => hardStop.abort(), stopTimeoutMs);
      await ready.catch(() => {});
      while (pumping) await new Promise((r) => setTimeout(r, 10));
      await Promise.allSettled([...running]);
      clearTimeout(grace);
      if (ownPool) await pool.end().catch(() => {});
    },
  };
}
