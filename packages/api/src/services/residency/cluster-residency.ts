import { Prisma, type PrismaClient } from "@meridian/db";
import { AppError } from "../../errors";
import { appendAuditEvent, type TAuditActor } from "../audit/append-audit-event";
import { enqueueWebhook } from "../webhooks/enqueue-webhook";
import { sweepResidency, type TResidencySweepResult } from "../dashboards/residency-sweep";
import {
  type TPreviewClusterResidencyRequest,
  type TUpdateClusterResidencyRequest,
} from "../../routers/residency/cluster-residency.schema";

export interface TResidencyPlacement {
  subject: "INSTANCE" | "LINK";
  id: string;
  name: string;
  dataCenterCode: string;
  jurisdictionCode: string;
}

export interface TClusterResidencyPreview {
  cluster: string;
  homeJurisdiction: string;
  current: string[];
  proposed: string[];
  /** Out of policy under the proposed list (instances and links of this cluster). */
  outOfPolicy: TResidencyPlacement[];
  /** Of those, the ones that are within policy today: what saving would newly put out. */
  newlyOutOfPolicy: TResidencyPlacement[];
  /** Out of policy today, back within policy under the proposed list. */
  backInPolicy: TResidencyPlacement[];
}

interface TClusterRow {
  id: string;
  name: string;
  home: string;
  allowed: string[];
}

async function loadCluster(db: PrismaClient | Prisma.TransactionClient, name: string, lock = false): Promise<TClusterRow> {
  const rows = await db.$queryRaw<TClusterRow[]>`
    SELECT id::text AS id, name, home_jurisdiction_code AS home, allowed_jurisdictions AS allowed
      FROM cluster WHERE lower(name) = lower(${name}) ${lock ? Prisma.sql`FOR UPDATE` : Prisma.empty}`;
  const row = rows[0];
  if (!row) throw new AppError("NOT_FOUND", `No cluster named "${name}"`, { cluster: [`No cluster named "${name}"`] });
  return row;
}

/** The home jurisdiction first, then the others sorted, without duplicates. */
function normalise(home: string, codes: readonly string[]): string[] {
  return [home, ...[...new Set(codes)].filter((c) => c !== home).sort()];
}

async function checkJurisdictions(prisma: PrismaClient | Prisma.TransactionClient, codes: readonly string[]): Promise<void> {
  if (codes.length === 0) return;
  const known = await prisma.jurisdiction.findMany({ where: { code: { in: [...codes] } }, select: { code: true } });
  const missing = codes.filter((c) => !known.some((k) => k.code === c));
  if (missing.length) {
    throw new AppError("INVALID", `Unknown jurisdiction${missing.length > 1 ? "s" : ""}: ${missing.join(", ")}`, {
      allowedJurisdictions: [`Unknown jurisdiction${missing.length > 1 ? "s" : ""}: ${missing.join(", ")}`],
    });
  }
}

/** Instances and links of the cluster placed in a data center outside `allowed`. */
async function placementsOutside(db: PrismaClient | Prisma.TransactionClient, clusterId: string, allowed: readonly string[]): Promise<TResidencyPlacement[]> {
  return db.$queryRaw<TResidencyPlacement[]>`
    SELECT 'INSTANCE' AS subject, i.id::text AS id, i.name AS name, dc.code AS "dataCenterCode", dc.jurisdiction_code AS "jurisdictionCode"
      FROM instance i JOIN data_center dc ON dc.id = i.data_center_id
     WHERE i.cluster_id = ${clusterId}::uuid AND NOT (dc.jurisdiction_code = ANY(${[...allowed]}::text[]))
    UNION ALL
    SELECT 'LINK', l.id::text, si.name || ' -> ' || ti.name, dc.code, dc.jurisdiction_code
      FROM replication_link l
      JOIN instance si ON si.id = l.source_id
      JOIN instance ti ON ti.id = l.target_id
      JOIN data_center dc ON dc.id = ti.data_center_id
     WHERE si.cluster_id = ${clusterId}::uuid AND NOT (dc.jurisdiction_code = ANY(${[...allowed]}::text[]))
     ORDER BY 1, 3`;
}

export async function previewClusterResidency(prisma: PrismaClient, input: TPreviewClusterResidencyRequest): Promise<TClusterResidencyPreview> {
  const cluster = await loadCluster(prisma, input.cluster);
  await checkJurisdictions(prisma, input.allowedJurisdictions);
  const current = normalise(cluster.home, cluster.allowed);
  const proposed = normalise(cluster.home, input.allowedJurisdictions);
  const [after, before] = await Promise.all([placementsOutside(prisma, cluster.id, proposed), placementsOutside(prisma, cluster.id, current)]);
  const key = (p: TResidencyPlacement) => `${p.subject}:${p.id}`;
  const beforeKeys = new Set(before.map(key));
  const afterKeys = new Set(after.map(key));
  return {
    cluster: cluster.name,
    homeJurisdiction: cluster.home,
    current,
    proposed,
    outOfPolicy: after,
    newlyOutOfPolicy: after.filter((p) => !beforeKeys.has(key(p))),
    backInPolicy: before.filter((p) => !afterKeys.has(key(p))),
  };
}

export interface TClusterResidencyUpdate {
  cluster: string;
  before: string[];
  after: string[];
  sweep: TResidencySweepResult;
}

/**
 * Saves a cluster's residency policy (the home jurisdiction is always kept), audited and
 * announced in one transaction; then the residency sweep runs so findings open or close at once.
 */
export async function updateClusterResidency(
  prisma: PrismaClient,
  input: TUpdateClusterResidencyRequest,
  actor: TAuditActor,
): Promise<TClusterResidencyUpdate> {
  await checkJurisdictions(prisma, input.allowedJurisdictions);
  const now = new Date();
  const change = await prisma.$transaction(async (tx) => {
    const cluster = await loadCluster(tx, input.cluster, true);
    const before = normalise(cluster.home, cluster.allowed);
    if (input.expectedAllowedJurisdictions) {
      const expected = normalise(cluster.home, input.expectedAllowedJurisdictions);
      if (expected.join(",") !== before.join(",")) {
        throw new AppError(
          "CONFLICT",
          `The residency policy of ${cluster.name} changed meanwhile (now ${before.join(", ")}): reload and try again.`,
        );
      }
    }
    const after = normalise(cluster.home, input.allowedJurisdictions);
    await tx.cluster.update({ where: { id: cluster.id }, data: { allowedJurisdictions: after } });
    await appendAuditEvent(tx, {
      actor,
      action: "cluster.residencyPolicyChanged",
      targetType: "cluster",
      targetId: cluster.id,
      before: { cluster: cluster.name, allowedJurisdictions: before },
      after: { cluster: cluster.name, allowedJurisdictions: after, reason: input.reason ?? null },
    });
    await enqueueWebhook(
      tx,
      {
        event: "cluster.residency_policy_changed",
        text: `Residency policy of ${cluster.name}: ${before.join(", ")} -> ${after.join(", ")}`,
        data: { cluster: cluster.name, before, after, by: actor.email },
      },
      now,
    );
    return { cluster: cluster.name, before, after };
  });
  const sweep = await sweepResidency(prisma);
  return { ...change, sweep };
}
