/**
 * The local lab, as `npm start` and `pnpm lab` run it (packages/fleet/src/lab): embedded
 * PostgreSQL servers registered as the `lab-orders` demo cluster, with a load generator.
 * - `startConsoleLab()` is what start.ts calls (unless MERIDIAN_LAB=off).
 * - Run directly (`pnpm lab`): the lab alone, against DATABASE_URL or the embedded metadata
 *   database (started, migrated and seeded here when needed), until Ctrl-C.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createPrismaClient, env } from "@meridian/db";
import { credentialKeyText } from "@meridian/db/credential-key";
import { startEmbeddedPostgres, type TEmbeddedPostgres } from "@meridian/db/embedded";
import { applyMigrations, ensureDatabase, redactUrl } from "@meridian/db/migrations";
import { isSeeded, seedDemo } from "@meridian/db/seed";
import { parseCredentialKey, startLab, type TLab } from "@meridian/fleet/lab";

export interface TConsoleLab {
  lab: TLab | null;
  stop: () => Promise<void>;
}

/** Starts the lab unless MERIDIAN_LAB=off; a lab that cannot start is reported, the console still starts. */
export async function startConsoleLab(options: {
  databaseUrl: string;
  credentialKey: string;
  log: (line: string) => void;
}): Promise<TConsoleLab> {
  const e = env();
  if (e.MERIDIAN_LAB === "off") {
    options.log("MERIDIAN_LAB=off: no local lab");
    return { lab: null, stop: async () => {} };
  }
  try {
    const lab = await startLab({
      databaseUrl: options.databaseUrl,
      credentialKey: parseCredentialKey(options.credentialKey),
      instances: e.MERIDIAN_LAB_INSTANCES,
      log: options.log,
    });
    return { lab, stop: () => lab.stop() };
  } catch (error) {
    options.log(`the local lab did not start: ${error instanceof Error ? error.message : String(error)} (MERIDIAN_LAB=off skips it)`);
    return { lab: null, stop: async () => {} };
  }
}

async function main(): Promise<void> {
  const log = (line: string) => console.log(`[lab] ${line}`);
  const e = env();
  let embedded: TEmbeddedPostgres | null = null;
  let url = e.DATABASE_URL;
  if (!url) {
    log("DATABASE_URL is not set: starting the embedded metadata PostgreSQL");
    embedded = await startEmbeddedPostgres({ log });
    url = await ensureDatabase(embedded.url, "meridian");
  }
  log(`metadata database: ${redactUrl(url)}`);
  await applyMigrations(url);
  const prisma = createPrismaClient(url, { max: 2 });
  try {
    if (!(await isSeeded(prisma))) {
      log(`seeding the demo fleet (${e.MERIDIAN_SEED_INSTANCES} instances)`);
      await seedDemo(prisma, { instances: e.MERIDIAN_SEED_INSTANCES, demoPassword: e.MERIDIAN_DEMO_PASSWORD, log });
    }
  } finally {
    await prisma.$disconnect();
  }
  const lab = await startLab({
    databaseUrl: url,
    credentialKey: parseCredentialKey(credentialKeyText({ embedded: embedded !== null })),
    instances: e.MERIDIAN_LAB_INSTANCES,
    log,
  });
  log("Ctrl-C stops the lab");
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await lab.stop();
    await embedded?.stop();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop());
  process.on("SIGTERM", () => void stop());
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(`[lab] failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
