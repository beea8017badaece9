/**
 * The standalone worker (scale-out): `pnpm --filter @meridian/orchestrator worker -- [options]`
 * or `tsx packages/orchestrator/src/engine/worker-main.ts [options]`. Runs until SIGINT/SIGTERM,
 * then lets running steps finish and releases its leases.
 *
 *   --database-url URL     metadata database (default: DATABASE_URL)
 *   --worker-id ID         lease owner name (default: host-pid-random)
 *   --concurrency N        executions at once (default 4)
 *   --lease-ms N           lease length (default 15000)
 *   --poll-ms N            polling fallback (default 1000)
 *   --duration-scale X     simulated step durations: 1 realistic, 0 instant (default 1)
 *   --step-ms N            every simulated action takes N ms (overrides the realistic durations)
 *   --faults JSON          simulated faults, e.g. '[{"kind":"fail","stepIndex":2,"times":1}]'
 *   --crash-at JSON        testing: SIGKILL this process at a point, e.g.
 *                          '{"point":"before-commit","index":1,"phase":"run"}'
 *   --no-listen            no LISTEN: wake up by polling only
 *   --no-enqueue-approved  do not enqueue approved requests nobody enqueued (tests)
 *   --quiet                no log lines
 */
import { parseArgs } from "node:util";
import { z } from "zod";
import { env } from "@meridian/db";
import { createFleetDriver, createRoutingDriver, createSimulatedDriver, parseFaults, SIMULATED_DURATIONS_MS, type TSimulatedDriverOptions } from "@meridian/fleet";
import { credentialKeyText } from "@meridian/db/credential-key";
import { type TEngineEvent } from "./executor";
import { startWorker } from "./worker";

const ZCrashAt = z.object({
  point: z.enum(["attempt-started", "before-commit", "committed"]),
  index: z.number().int().min(0),
  phase: z.enum(["run", "compensate"]).default("run"),
  /** Only on this attempt (default: the first time the point is reached). */
  attempt: z.number().int().min(1).optional(),
});

function fail(message: string): never {
  console.error(`worker: ${message}`);
  process.exit(2);
}

/**
 * Simulated and real (postgres) instances side by side. The credential key: MERIDIAN_CREDENTIAL_KEY,
 * or, against the launcher's embedded metadata database (127.0.0.1:MERIDIAN_PG_PORT), the key
 * generated beside its data. Without a key, steps on real servers fail with a readable error.
 */
function fleetDriver(databaseUrl: string, simulated: TSimulatedDriverOptions) {
  let embedded = false;
  try {
    const url = new URL(databaseUrl);
    embedded = ["127.0.0.1", "localhost"].includes(url.hostname) && Number(url.port || 5432) === env().MERIDIAN_PG_PORT;
  } catch {
    embedded = false;
  }
  try {
    return createFleetDriver({ credentialKey: credentialKeyText({ embedded }), simulated });
  } catch (error) {
    console.error(`worker: no postgres driver: ${error instanceof Error ? error.message : String(error)}`);
    return createRoutingDriver({ SIMULATED: createSimulatedDriver(simulated) });
  }
}

function numberOption(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) fail(`--${name} must be a non-negative number`);
  return n;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2).filter((a) => a !== "--"),
    options: {
      "database-url": { type: "string" },
      "worker-id": { type: "string" },
      concurrency: { type: "string" },
      "lease-ms": { type: "string" },
      "poll-ms": { type: "string" },
      "duration-scale": { type: "string" },
      "step-ms": { type: "string" },
      faults: { type: "string" },
      "crash-at": { type: "string" },
      "no-listen": { type: "boolean", default: false },
      "no-enqueue-approved": { type: "boolean", default: false },
      quiet: { type: "boolean", default: false },
    },
    allowPositionals: false,
  });
  const databaseUrl = values["database-url"] ?? env().DATABASE_URL;
  if (!databaseUrl) fail("set DATABASE_URL or pass --database-url (the metadata database the console uses)");

  let faults;
  let crashAt: z.output<typeof ZCrashAt> | null = null;
  try {
    faults = parseFaults(values.faults ? JSON.parse(values.faults) : []);
    crashAt = values["crash-at"] ? ZCrashAt.parse(JSON.parse(values["crash-at"])) : null;
  } catch (error) {
    fail(`bad --faults or --crash-at: ${error instanceof Error ? error.message : String(error)}`);
  }

  const log = values.quiet ? () => {} : (line: string) => console.log(`${new Date().toISOString()} ${line}`);
  const onEvent = (event: TEngineEvent) => {
    if (
      crashAt &&
      event.type === "step" &&
      event.point === crashAt.point &&
      event.index === crashAt.index &&
      event.phase === crashAt.phase &&
      (crashAt.attempt === undefined || crashAt.attempt === event.attempt)
    ) {
      console.log(`crashing at ${event.point} of step ${event.index} (${event.phase}, attempt ${event.attempt})`);
      process.kill(process.pid, "SIGKILL");
    }
  };

  const worker = startWorker({
    databaseUrl,
    ...(values["worker-id"] ? { workerId: values["worker-id"] } : {}),
    concurrency: numberOption(values.concurrency, "concurrency", 4),
    leaseMs: numberOption(values["lease-ms"], "lease-ms", 15_000),
    pollMs: numberOption(values["poll-ms"], "poll-ms", 1_000),
    listen: !values["no-listen"],
    enqueueApproved: !values["no-enqueue-approved"],
    driver: fleetDriver(databaseUrl, {
      durationScale: values["step-ms"] !== undefined ? 1 : numberOption(values["duration-scale"], "duration-scale", 1),
      ...(values["step-ms"] !== undefined
        ? {
            durationsMs: Object.fromEntries(
              Object.keys(SIMULATED_DURATIONS_MS).map((k) => [k, numberOption(values["step-ms"], "step-ms", 0)]),
            ),
          }
        : {}),
      faults,
    }),
    log,
    onEvent,
  });
  await worker.ready;
  console.log(`worker ${worker.workerId} ready`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping (running steps finish, leases are released)`);
    void worker.stop().then(() => process.exit(0));
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
