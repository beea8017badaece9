import { type PrismaClient } from "@meridian/db";
import { RESIDENCY_RULE_ALLOWED } from "@meridian/policy";
import { enqueueWebhook } from "../webhooks/enqueue-webhook";
import { clearDashboardCache } from "./result-cache";

/**
 * Continuous residency. The sweep finds every instance that sits, and every replication link
 * that copies a cluster's data, in a data center outside the cluster's allowed jurisdictions
 * (home + allowed list), and keeps `residency_finding` in step: new violations open a finding
 * (or reopen a resolved one), violations that are gone close theirs. One transaction, under
 * an advisory lock so concurrent sweeps (several console processes) do not race; each opened
 * or closed finding is announced through the webhook outbox in the same transaction.
 * Idempotent: a second sweep over an unchanged fleet opens and closes nothing.
 */

export interface TResidencySweepResult {
  open: number;
  opened: number;
  closed: number;
  durationMs: number;
}

/** Arbitrary constant: the advisory lock that serialises sweeps. */
const SWEEP_LOCK = 7_311_209;

interface TChangedRow {
  id: string;
  clusterName: string;
  subject: string;
  subjectName: string;
  dataCenterCode: string;
  jurisdictionCode: string;
  allowed: string[];
  detail: string;
}

const VIOLATIONS_SQL = `
  SELECT c.id AS cluster_id, 'INSTANCE'::"ResidencySubject" AS subject, i.id AS subject_id, i.name AS subject_name,
         dc.code AS data_center_code, dc.jurisdiction_code, (ARRAY[c.home_jurisdiction_code] || c.allowed_jurisdictions)::varchar(8)[] AS allowed,
         'Instance ' || i.name || ' of ' || c.name || ' runs in ' || dc.code || ' (' || dc.jurisdiction_code || '), outside the allowed jurisdictions '
           || array_to_string(ARRAY[c.home_jurisdiction_code] || c.allowed_jurisdictions, ', ') AS detail
    FROM instance i
    JOIN cluster c ON c.id = i.cluster_id
    JOIN data_center dc ON dc.id = i.data_center_id
   WHERE NOT (dc.jurisdiction_code = c.home_jurisdiction_code OR dc.jurisdiction_code = ANY(c.allowed_jurisdictions))
  UNION ALL
  SELECT c.id, 'LINK'::"ResidencySubject", l.id, si.name || ' -> ' || ti.name,
         dc.code, dc.jurisdiction_code, (ARRAY[c.home_jurisdiction_code] || c.allowed_jurisdictions)::varchar(8)[],
         'Link ' || si.name || ' -> ' || ti.name || ' replicates ' || c.name || ' data into ' || dc.code || ' (' || dc.jurisdiction_code
           || '), outside the allowed jurisdictions ' || array_to_string(ARRAY[c.home_jurisdiction_code] || c.allowed_jurisdictions, ', ')
    FROM replication_link l
    JOIN instance si ON si.id = l.source_id
    JOIN cluster c ON c.id = si.cluster_id
    JOIN instance ti ON ti.id = l.target_id
    JOIN data_center dc ON dc.id = ti.data_center_id
   WHERE NOT (dc.jurisdiction_code = c.home_jurisdiction_code OR dc.jurisdiction_code = ANY(c.allowed_jurisdictions))`;

export async function sweepResidency(prisma: PrismaClient, now = new Date()): Promise<TResidencySweepResult> {
  const started = performance.now();
  const result = await prisma.$transaction(
    async (tx) => {
      await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(${SWEEP_LOCK})`);
      await tx.$executeRawUnsafe(`CREATE TEMP TABLE residency_violation ON COMMIT DROP AS ${VIOLATIONS_SQL}`);

      // New or reopened: no open finding for this (cluster, subject) yet.
      const opened = await tx.$queryRawUnsafe<TChangedRow[]>(
        `WITH fresh AS (
           SELECT v.* FROM residency_violation v
            WHERE NOT EXISTS (SELECT 1 FROM residency_finding f
                               WHERE f.cluster_id = v.cluster_id AND f.subject = v.subject AND f.subject_id = v.subject_id
                                 AND f.resolved_at IS NULL)
         ),
         up AS (
           INSERT INTO residency_finding (id, cluster_id, subject, subject_id, subject_name, data_center_code, jurisdiction_code,
                  allowed_jurisdictions, rule, detail, first_seen_at, last_seen_at, resolved_at)
           SELECT gen_random_uuid(), cluster_id, subject, subject_id, subject_name, data_center_code, jurisdiction_code,
                  allowed, $1, detail, $2, $2, NULL
             FROM fresh
           ON CONFLICT (cluster_id, subject, subject_id) DO UPDATE SET
             subject_name = excluded.subject_name, data_center_code = excluded.data_center_code,
             jurisdiction_code = excluded.jurisdiction_code, allowed_jurisdictions = excluded.allowed_jurisdictions,
             detail = excluded.detail, first_seen_at = excluded.first_seen_at, last_seen_at = excluded.last_seen_at, resolved_at = NULL
           RETURNING id, cluster_id, subject, subject_name, data_center_code, jurisdiction_code, allowed_jurisdictions, detail
         )
         SELECT up.id::text AS "id", c.name AS "clusterName", up.subject::text AS "subject", up.subject_name AS "subjectName",
                up.data_center_code AS "dataCenterCode", up.jurisdiction_code AS "jurisdictionCode",
                up.allowed_jurisdictions AS "allowed", up.detail AS "detail"
           FROM up JOIN cluster c ON c.id = up.cluster_id`,
        RESIDENCY_RULE_ALLOWED,
        now,
      );

      // Still violating: refresh what it looks like now.
      await tx.$executeRawUnsafe(
        `UPDATE residency_finding f SET last_seen_at = $1, subject_name = v.subject_name, data_center_code = v.data_center_code,
                jurisdiction_code = v.jurisdiction_code, allowed_jurisdictions = v.allowed, detail = v.detail
           FROM residency_violation v
          WHERE f.cluster_id = v.cluster_id AND f.subject = v.subject AND f.subject_id = v.subject_id
            AND f.resolved_at IS NULL AND f.last_seen_at < $1`,
        now,
      );

      // Back in policy (or gone): close.
      const closed = await tx.$queryRawUnsafe<TChangedRow[]>(
        `WITH done AS (
           UPDATE residency_finding f SET resolved_at = $1
            WHERE f.resolved_at IS NULL
              AND NOT EXISTS (SELECT 1 FROM residency_violation v
                               WHERE v.cluster_id = f.cluster_id AND v.subject = f.subject AND v.subject_id = f.subject_id)
           RETURNING f.*
         )
         SELECT done.id::text AS "id", COALESCE(c.name, done.cluster_id::text) AS "clusterName", done.subject::text AS "subject",
                done.subject_name AS "subjectName", done.data_center_code AS "dataCenterCode",
                done.jurisdiction_code AS "jurisdictionCode", done.allowed_jurisdictions AS "allowed", done.detail AS "detail"
           FROM done LEFT JOIN cluster c ON c.id = done.cluster_id`,
        now,
      );

      for (const f of opened) {
        await enqueueWebhook(
          tx,
          {
            event: "residency_finding.opened",
            text: `Residency: ${f.detail}`,
            data: { findingId: f.id, cluster: f.clusterName, subject: f.subject, subjectName: f.subjectName, dataCenter: f.dataCenterCode, jurisdiction: f.jurisdictionCode, allowedJurisdictions: f.allowed, rule: RESIDENCY_RULE_ALLOWED },
          },
          now,
        );
      }
      for (const f of closed) {
        await enqueueWebhook(
          tx,
          {
            event: "residency_finding.resolved",
            text: `Residency resolved: ${f.subjectName} of ${f.clusterName} is back within policy`,
            data: { findingId: f.id, cluster: f.clusterName, subject: f.subject, subjectName: f.subjectName, dataCenter: f.dataCenterCode, jurisdiction: f.jurisdictionCode },
          },
          now,
        );
      }
      const [{ n }] = (await tx.$queryRawUnsafe<{ n: number }[]>(
        "SELECT count(*)::int AS n FROM residency_finding WHERE resolved_at IS NULL",
      )) as [{ n: number }];
      return { open: n, opened: opened.length, closed: closed.length, durationMs: Math.round(performance.now() - started) };
    },
    { maxWait: 10_000, timeout: 60_000 },
  );
  // What the residency dashboard shows changed: do not serve it from the result cache.
  if (result.opened || result.closed) clearDashboardCache(prisma);
  return result;
}
