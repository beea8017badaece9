/**
 * Meridian's database command line (works offline: WebAssembly schema engine).
 *   migrate                 apply pending migrations
 *   create --name x         write a new migration from schema.prisma (computed on a shadow database)
 *   status                  applied / pending / edited / failed migrations (exit 1 unless up to date)
 *   drift                   exit 1 when schema.prisma and the migrations disagree
 *   seed [--instances N] [--reset]   fill the database with the deterministic demo fleet
 * Uses DATABASE_URL; without it, starts the embedded PostgreSQL under MERIDIAN_DATA_DIR.
 */
import { parseArgs } from "node:util";
import { env } from "./env";
import { startEmbeddedPostgres, type TEmbeddedPostgres } from "./embedded";
import { applyMigrations, checkDrift, createMigration, getMigrationStatus, redactUrl } from "./migrations";

async function databaseUrl(): Promise<{ url: string; embedded: TEmbeddedPostgres | null }> {
  const configured = env().DATABASE_URL;
  if (configured) return { url: configured, embedded: null };
  const embedded = await startEmbeddedPostgres({ log: (l) => console.error(l) });
  return { url: embedded.url, embedded };
}

async function main(): Promise<number> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      name: { type: "string" },
      instances: { type: "string" },
      reset: { type: "boolean", default: false },
      draft: { type: "boolean", default: false },
    },
  });
  const command = positionals[0];
  if (!command || !["migrate", "create", "status", "drift", "seed"].includes(command)) {
    console.error("usage: cli.ts migrate | create --name x | status | drift | seed [--instances N] [--reset]");
    return 2;
  }
  const { url, embedded } = await databaseUrl();
  try {
    switch (command) {
      case "migrate": {
        const applied = await applyMigrations(url);
        console.log(applied.length ? `applied ${applied.length}: ${applied.join(", ")}` : "no pending migrations");
        return 0;
      }
      case "create": {
        if (!values.name) {
          console.error("create needs --name (lower-case letters, digits and _)");
          return 2;
        }
        const created = await createMigration(url, values.name, { draft: values.draft });
        console.log(created.path ? `created ${created.path}` : "schema.prisma matches the migrations: nothing to create");
        return 0;
      }
      case "status": {
        const status = await getMigrationStatus(url);
        console.log(JSON.stringify({ database: redactUrl(url), ...status }, null, 2));
        return status.upToDate ? 0 : 1;
      }
      case "drift": {
        const drift = await checkDrift(url);
        if (drift.drifted) {
          console.error("DRIFT: schema.prisma differs from prisma/migrations. Create a migration:");
          console.error("  pnpm db:migrate:create --name describe_the_change\nSQL that is missing:\n" + drift.script);
          return 1;
        }
        console.log("no drift: schema.prisma matches prisma/migrations");
        return 0;
      }
      case "seed": {
        const { createPrismaClient } = await import("./client");
        const { seedDemo } = await import("./seed");
        await applyMigrations(url);
        const prisma = createPrismaClient(url);
        try {
          const instances = values.instances ? Number(values.instances) : env().MERIDIAN_SEED_INSTANCES;
          await seedDemo(prisma, {
            instances,
            reset: values.reset,
            history: true,
            demoPassword: env().MERIDIAN_DEMO_PASSWORD,
            log: (l) => console.log(l),
          });
        } finally {
          await prisma.$disconnect();
        }
        return 0;
      }
    }
    return 2;
  } finally {
    await embedded?.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
