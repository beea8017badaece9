import { type PrismaClient } from "@meridian/db";
import { appendAuditEvent, type TAuditActor } from "./append-audit-event";

export const GENESIS_HASH = "0".repeat(64);

export interface TBrokenLink {
  id: string;
  occurredAt: Date;
  action: string;
  /** What is wrong with this row. */
  problem: "hash-mismatch" | "prev-hash-mismatch";
  /** The row's stored hashes and what they should be. */
  storedHash: string;
  recomputedHash: string;
  storedPrevHash: string;
  expectedPrevHash: string;
}

export interface TChainVerification {
  ok: boolean;
  /** Rows checked. */
  checked: number;
  /** The last row's hash: publish it elsewhere to detect a truncated tail later. */
  headHash: string | null;
  headId: string | null;
  /** The first row whose link is broken, in chain (id) order; null when the chain is intact. */
  firstBroken: TBrokenLink | null;
  verifiedAt: Date;
}

interface TRow {
  id: bigint;
  occurred_at: Date;
  action: string;
  prev_hash: string;
  hash: string;
  expected_prev: string;
  recomputed: string;
}

/**
 * Re-computes every row's hash in the database (the same SQL function the insert trigger
 * uses) and checks each row links to the one before. Reports the first broken link: a row
 * whose content no longer matches its hash (altered), or whose prev_hash is not the previous
 * row's hash (a row was removed or re-hashed). Records the verification itself as an event.
 */
export async function verifyAuditChain(
  prisma: PrismaClient,
  actor: TAuditActor | null,
  options: { now: Date; record?: boolean } = { now: new Date() },
): Promise<TChainVerification> {
  const broken = await prisma.$queryRaw<TRow[]>`
    SELECT s.id, s.occurred_at, s.action, s.prev_hash, s.hash, s.expected_prev, s.recomputed
      FROM (
        SELECT e.id, e.occurred_at, e.action, e.prev_hash, e.hash,
               coalesce(lag(e.hash) OVER (ORDER BY e.id), ${GENESIS_HASH}) AS expected_prev,
               meridian_audit_row_hash(e) AS recomputed
          FROM audit_event e
      ) s
     WHERE s.hash <> s.recomputed OR s.prev_hash <> s.expected_prev
     ORDER BY s.id
     LIMIT 1`;
  const [stats] = await prisma.$queryRaw<{ checked: number; head_id: bigint | null; head_hash: string | null }[]>`
    SELECT (SELECT count(*)::int FROM audit_event) AS checked,
           (SELECT id FROM audit_event ORDER BY id DESC LIMIT 1) AS head_id,
           (SELECT hash FROM audit_event ORDER BY id DESC LIMIT 1) AS head_hash`;
  const row = broken[0];
  const result: TChainVerification = {
    ok: !row,
    checked: stats?.checked ?? 0,
    headHash: stats?.head_hash ?? null,
    headId: stats?.head_id != null ? String(stats.head_id) : null,
    firstBroken: row
      ? {
          id: String(row.id),
          occurredAt: row.occurred_at,
          action: row.action,
          problem: row.hash !== row.recomputed ? "hash-mismatch" : "prev-hash-mismatch",
          storedHash: row.hash,
          recomputedHash: row.recomputed,
          storedPrevHash: row.prev_hash,
          expectedPrevHash: row.expected_prev,
        }
      : null,
    verifiedAt: options.now,
  };
  if (actor && options.record !== false) {
    await appendAuditEvent(prisma, {
      actor,
      action: "audit.chainVerified",
      targetType: "auditChain",
      after: { ok: result.ok, checked: result.checked, headId: result.headId, firstBrokenId: result.firstBroken?.id ?? null },
    });
  }
  return result;
}
