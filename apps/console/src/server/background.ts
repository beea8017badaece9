/**
 * Background work of the console process (the default runtime shape, ARCHITECTURE.md): the
 * execution worker (simulated driver) and the webhook deliverer. Started once per process from
 * instrumentation.ts; never imported by pages or the browser.
 */
import { env, getPrisma } from "@meridian/db";
import { residencySweepOnExecutionFinished, startDashboardJobs, startWebhookDeliverer, webhookSettingsFromEnv, type TDashboardJobs, type TWebhookDeliverer } from "@meridian/api";
import { createFleetDriver, createRoutingDriver, createSimulatedDriver, SIMULATED_DURATIONS_MS, type TSimulatedDriverOptions } from "@meridian/fleet";
import { credentialKeyText } from "@meridian/db/credential-key";
import { startWorker, type TWorker } from "@meridian/orchestrator/engine";
import { createCollector, parseCredentialKey, type TCollector } from "@meridian/fleet/collector";

interface TBackground {
  worker: TWorker | null;
  deliverer: TWebhookDeliverer | null;
  collector: TCollector | null;
  stop: () => Promise<void>;
}

/**
 * Process-wide handles. `meridianWebhookDeliverer` is the key the API's `kickWebhookDeliverer`
 * reads: it then kicks this deliverer after each commit instead of starting its own.
 */
const globalForBackground = globalThis as unknown as {
  meridianBackground?: TBackground;
  meridianWebhookDeliverer?: TWebhookDeliverer | null;
};

const log = (line: string) => console.log(`[meridian] ${line}`);

/**
 * Simulated and real (postgres) instances side by side. The launcher hands this process the
 * credential key (MERIDIAN_CREDENTIAL_KEY); without one, steps on real servers fail with a
 * readable error and the simulated fleet still runs.
 */
function fleetDriver(simulated: TSimulatedDriverOptions) {
  try {
    return createFleetDriver({ credentialKey: credentialKeyText({ embedded: false }), simulated });
  } catch (error) {
    log(`no postgres driver in this process: ${error instanceof Error ? error.message : String(error)}`);
    return createRoutingDriver({ SIMULATED: createSimulatedDriver(simulated) });
  }
}

export function startBackgroundWork(): TBackground {
  if (globalForBackground.meridianBackground) return globalForBackground.meridianBackground;
  const e = env();
  let worker: TWorker | null = null;
  let deliverer: TWebhookDeliverer | null = null;
  let dashboardJobs: TDashboardJobs | null = null;
  let collector: TCollector | null = null;

  if (!e.DATABASE_URL) {
    log("DATABASE_URL is not set: no execution worker, no webhook delivery in this process");
  } else {
    if (e.MERIDIAN_WORKER === "on") {
      const stepMs = e.MERIDIAN_SIM_STEP_MS;
      worker = startWorker({
        databaseUrl: e.DATABASE_URL,
        driver: fleetDriver({ durationsMs: Object.fromEntries(Object.keys(SIMULATED_DURATIONS_MS).map((action) => [action, stepMs])) }),
        concurrency: e.MERIDIAN_WORKER_CONCURRENCY,
        leaseMs: 15_000,
        pollMs: 1_000,
        log: (line) => console.log(`[worker] ${line}`),
        // A finished change may have added, removed or moved a link or a replica: sweep residency now, not at the next minute.
        onEvent: residencySweepOnExecutionFinished(getPrisma(), { log }),
      });
      const started = worker;
      started.ready.then(
        () => log(`execution worker ${started.workerId} started (concurrency ${e.MERIDIAN_WORKER_CONCURRENCY}, simulated steps ${stepMs} ms)`),
        (error: unknown) => console.error("[meridian] execution worker failed to start:", error),
      );
    } else {
      log("MERIDIAN_WORKER=off: executions run only in standalone `worker` processes");
    }
    // Health and lag of postgres instances (MERIDIAN_COLLECTOR=off: run `pnpm --filter @meridian/fleet collector` instead).
    if (e.MERIDIAN_COLLECTOR === "on" && e.MERIDIAN_CREDENTIAL_KEY) {
      collector = createCollector({
        databaseUrl: e.DATABASE_URL,
        credentialKey: parseCredentialKey(e.MERIDIAN_CREDENTIAL_KEY),
        intervalMs: e.MERIDIAN_COLLECTOR_INTERVAL_MS,
        log: (line) => console.log(`[meridian] ${line}`),
      });
      collector.start();
      log(`health and lag collector started (every ${e.MERIDIAN_COLLECTOR_INTERVAL_MS} ms)`);
    } else if (e.MERIDIAN_COLLECTOR === "on") {
      log("MERIDIAN_CREDENTIAL_KEY is not set: no health and lag collector in this process");
    }
    const settings = webhookSettingsFromEnv();
    if (settings && globalForBackground.meridianWebhookDeliverer === undefined) {
      deliverer = startWebhookDeliverer(getPrisma(), settings);
      globalForBackground.meridianWebhookDeliverer = deliverer;
      deliverer.kick(); // what was left in the outbox by the previous process
    }
    // Dashboards: sample rollups (raw -> hourly -> daily, retention) and the residency sweep, every minute.
    dashboardJobs = startDashboardJobs(getPrisma(), { sampleIntervalMs: e.MERIDIAN_COLLECTOR_INTERVAL_MS, log });
  }

  let stopping: Promise<void> | null = null;
  const background: TBackground = {
    worker,
    deliverer,
    collector,
    stop: () =>
      (stopping ??= (async () => {
        deliverer?.stop();
        dashboardJobs?.stop();
        await collector?.stop();
        // Running steps finish (or are left to the next claim), leases are released.
        await worker?.stop();
      })()),
  };
  globalForBackground.meridianBackground = background;

  // The launcher (scripts/start.ts) runs `next start` with NEXT_MANUAL_SIG_HANDLE set: Next then
  // installs no handler that exits at once, and this one ends the process once running steps
  // have finished (or were abandoned after the worker's grace period) and leases are handed back.
  const onSignal = (signal: NodeJS.Signals) => {
    log(`${signal}: stopping the execution worker (running steps finish, leases are handed back)`);
    void background
      .stop()
      .catch((error: unknown) => console.error("[meridian] stopping the background work failed:", error))
      .finally(() => process.exit(0));
  };
  process.once("SIGTERM", onSignal);
  process.once("SIGINT", onSignal);
  return background;
}
