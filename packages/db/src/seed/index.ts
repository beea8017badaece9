import bcrypt from "bcryptjs";
import { z } from "zod";
import type { PrismaClient, Prisma } from "../generated/prisma/client";
import { DEFAULT_DEMO_PASSWORD } from "./demo-users";
import { MIN_INSTANCES, generateDemoData, type TDemoData } from "./generate-demo-data";
import { seedDashboardHistory } from "./dashboard-history";

/**
 * Demo seed: fills an empty, migrated Meridian metadata database with a deterministic global
 * fleet (places, people, teams, clusters, instances, replication links, approval policies).
 * Everything is written in one transaction: a failed seed leaves nothing behind.
 */

export { DEMO_USERS, DEFAULT_DEMO_PASSWORD, type TDemoPersona, type TDemoUser } from "./demo-users";
export { planDemoPassword, replacePublishedPassword, type TDemoPasswordPlan } from "./demo-password";
export { DEMO_TEAMS, DEMO_TEAM_SLUG, type TTeamSeed } from "./teams";
export { DEMO_JURISDICTIONS, DEMO_REGIONS, DEMO_DATA_CENTERS } from "./geography";
export {
  DEFAULT_APPROVAL_POLICIES,
  type TApprovalPolicySeed,
  type TApprovalStageSeed,
} from "./approval-policies";
export {
  generateDemoData,
  TIER_TARGETS,
  MIN_INSTANCES,
  type TDemoData,
  type TGenerateDemoDataInput,
} from "./generate-demo-data";
export { createRng, createIdFactory, type TRng } from "./prng";
export {
  seedDashboardHistory,
  rollUpDailyFromHourly,
  SAMPLE_RETENTION,
  HISTORY_DAYS,
  HISTORY_LAG_SLO_SECONDS,
  type THistorySummary,
  type TSeedHistoryOptions,
} from "./dashboard-history";

export const DEFAULT_SEED = 42;
export const DEFAULT_INSTANCES = 1200;
export const MAX_INSTANCES = 100_000;
/** bcrypt cost of the demo users' password hash. */
export const DEMO_BCRYPT_COST = 10;
const BATCH_SIZE = 1000;

export const ZSeedDemoOptionsSchema = z.object({
  seed: z.number().int().min(0).max(0xffff_ffff).default(DEFAULT_SEED),
  instances: z.number().int().min(MIN_INSTANCES).max(MAX_INSTANCES).default(DEFAULT_INSTANCES),
  demoPassword: z.string().min(8).default(DEFAULT_DEMO_PASSWORD),
  /** The seeded users must choose a new password at their first sign-in (generated passwords). */
  mustChangePassword: z.boolean().default(false),
  reset: z.boolean().default(false),
  /** Also write the 90-day dashboard history (rollups and past change requests): `npm start`, `db:seed`. */
  history: z.boolean().default(false),
});

export type TSeedDemoOptions = Partial<z.input<typeof ZSeedDemoOptionsSchema>> & {
  /** Receives one line per seeding phase. */
  log?: (line: string) => void;
};

export type TSeedSummary = {
  seed: number;
  jurisdictions: number;
  regions: number;
  dataCenters: number;
  users: number;
  teams: number;
  teamMemberships: number;
  clusters: number;
  instances: number;
  replicationLinks: number;
  approvalPolicies: number;
  /** Wall-clock time of the whole seed, hashing included. */
  durationMs: number;
};

export type TSeedErrorCode = "ALREADY_SEEDED" | "INVALID_OPTIONS";

/** Why a seed was refused; `code` says which way. */
export class SeedError extends Error {
  constructor(
    readonly code: TSeedErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "SeedError";
  }
}

type TDb = PrismaClient | Prisma.TransactionClient;

/** True when any table the demo seed fills already has a row (audit_event is not looked at). */
export async function isSeeded(prisma: TDb): Promise<boolean> {
  const found = await Promise.all([
    prisma.jurisdiction.findFirst({ select: { code: true } }),
    prisma.region.findFirst({ select: { code: true } }),
    prisma.dataCenter.findFirst({ select: { id: true } }),
    prisma.user.findFirst({ select: { id: true } }),
    prisma.team.findFirst({ select: { id: true } }),
    prisma.cluster.findFirst({ select: { id: true } }),
    prisma.instance.findFirst({ select: { id: true } }),
    prisma.replicationLink.findFirst({ select: { id: true } }),
    prisma.approvalPolicy.findFirst({ select: { id: true } }),
  ]);
  return found.some((row) => row !== null);
}

/**
 * Deletes everything the seed writes, and everything that hangs off it (change requests,
 * approvals, executions, samples, maintenance windows), children first. The append-only
 * audit_event table is left alone.
 */
export async function clearSeededTables(tx: Prisma.TransactionClient): Promise<void> {
  await tx.$executeRawUnsafe(
    "TRUNCATE health_sample_hourly, health_sample_daily, lag_sample_hourly, lag_sample_daily, residency_finding",
  );
  await tx.lagSample.deleteMany();
  await tx.healthSample.deleteMany();
  await tx.executionStep.deleteMany();
  await tx.execution.deleteMany();
  await tx.approval.deleteMany();
  await tx.changeComment.deleteMany();
  await tx.changeRequest.updateMany({ where: { parentId: { not: null } }, data: { parentId: null } });
  await tx.changeRequest.deleteMany();
  await tx.replicationLink.deleteMany();
  await tx.instance.deleteMany();
  await tx.cluster.deleteMany();
  await tx.maintenanceWindow.deleteMany();
  await tx.dataCenter.deleteMany();
  await tx.region.deleteMany();
  await tx.teamMembership.deleteMany();
  await tx.team.deleteMany();
  await tx.approvalPolicy.deleteMany();
  await tx.user.deleteMany();
  await tx.jurisdiction.deleteMany();
}

/**
 * Seeds the demo fleet. Refuses (SeedError ALREADY_SEEDED) when the database already holds
 * data, unless `reset` is true: then the seeded tables are emptied first, in the same
 * transaction. The same `seed` and `instances` always give the same rows and ids.
 */
export async function seedDemo(prisma: PrismaClient, options: TSeedDemoOptions = {}): Promise<TSeedSummary> {
  const started = performance.now();
  const { log, ...rest } = options;
  const say = (line: string): void => log?.(line);
  const parsed = ZSeedDemoOptionsSchema.safeParse(rest);
  if (!parsed.success) {
    const fields = parsed.error.issues
      .map((i) => `${i.path.join(".") || "options"}: ${i.message}`)
      .join("; ");
    throw new SeedError("INVALID_OPTIONS", `Invalid seed options: ${fields}`);
  }
  const { seed, instances, demoPassword, mustChangePassword, reset, history } = parsed.data;

  say(`seeding demo fleet: seed ${seed}, ${instances} instances${reset ? " (reset)" : ""}`);
  if (!reset && (await isSeeded(prisma))) {
    throw new SeedError(
      "ALREADY_SEEDED",
      "The database already has data; refusing to seed over it. Pass { reset: true } to delete the seeded tables (audit events are kept) and seed again.",
    );
  }

  const passwordHash = await bcrypt.hash(demoPassword, DEMO_BCRYPT_COST);
  const data = generateDemoData({ seed, instances, passwordHash });
  say(
    `generated ${data.clusters.length} clusters, ${data.instances.length} instances, ${data.replicationLinks.length} links in ${elapsed(started)}`,
  );

  await prisma.$transaction(
    async (tx) => {
      if (reset) {
        await clearSeededTables(tx);
        say("cleared seeded tables (audit events kept)");
      } else if (await isSeeded(tx)) {
        // Someone seeded between the check above and this transaction.
        throw new SeedError(
          "ALREADY_SEEDED",
          "The database was seeded concurrently; refusing to seed over it.",
        );
      }
      await writeDemoData(tx, data, say);
      if (mustChangePassword) await tx.user.updateMany({ data: { mustChangePassword: true } });
    },
    { maxWait: 30_000, timeout: 10 * 60_000 },
  );

  if (history) await seedDashboardHistory(prisma, { seed, log: say });

  const summary: TSeedSummary = {
    seed,
    jurisdictions: data.jurisdictions.length,
    regions: data.regions.length,
    dataCenters: data.dataCenters.length,
    users: data.users.length,
    teams: data.teams.length,
    teamMemberships: data.teamMemberships.length,
    clusters: data.clusters.length,
    instances: data.instances.length,
    replicationLinks: data.replicationLinks.length,
    approvalPolicies: data.approvalPolicies.length,
    durationMs: Math.round(performance.now() - started),
  };
  say(
    `seeded ${summary.dataCenters} data centers, ${summary.teams} teams, ${summary.clusters} clusters, ` +
      `${summary.instances} instances, ${summary.replicationLinks} links in ${elapsed(started)}`,
  );
  return summary;
}

async function writeDemoData(
  tx: Prisma.TransactionClient,
  data: TDemoData,
  say: (line: string) => void,
): Promise<void> {
  await tx.jurisdiction.createMany({ data: data.jurisdictions });
  await tx.region.createMany({ data: data.regions });
  await inBatches(data.dataCenters, (batch) => tx.dataCenter.createMany({ data: batch }));
  say(
    `seeded ${data.jurisdictions.length} jurisdictions, ${data.regions.length} regions, ${data.dataCenters.length} data centers`,
  );

  await tx.user.createMany({ data: data.users });
  await tx.team.createMany({ data: data.teams });
  await tx.teamMembership.createMany({ data: data.teamMemberships });
  say(
    `seeded ${data.users.length} users, ${data.teams.length} teams, ${data.teamMemberships.length} team memberships`,
  );

  await inBatches(data.clusters, (batch) => tx.cluster.createMany({ data: batch }));
  say(`seeded ${data.clusters.length} clusters`);
  await inBatches(data.instances, (batch) => tx.instance.createMany({ data: batch }));
  say(`seeded ${data.instances.length} instances`);
  await inBatches(data.replicationLinks, (batch) => tx.replicationLink.createMany({ data: batch }));
  say(`seeded ${data.replicationLinks.length} replication links`);

  await tx.approvalPolicy.createMany({ data: data.approvalPolicies });
  say(`seeded ${data.approvalPolicies.length} approval policies`);
}

async function inBatches<T>(rows: readonly T[], write: (batch: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += BATCH_SIZE) await write(rows.slice(i, i + BATCH_SIZE));
}

function elapsed(started: number): string {
  return `${((performance.now() - started) / 1000).toFixed(1)} s`;
}
