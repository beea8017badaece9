import { type PrismaClient } from "@meridian/db";
import { ActionError, runLinkVerification, setLinkPaused, storeLinkVerification, type TLinkVerification } from "@meridian/fleet";
import { AppError } from "../../errors";
import { appendAuditEvent, type TDb } from "../audit/append-audit-event";
import { type TActor } from "../changes/actor";
import { postgresAccess, sqlOf } from "./access";

/**
 * Replication links as an operator sees them, and the operator actions on links between real
 * servers: pause / resume (ALTER SUBSCRIPTION ... DISABLE / ENABLE) and an on-demand data
 * verification. Each action writes an audit event (who, which link, status before and after;
 * never a credential) in the transaction that records its result.
 */
export interface TLinkDetail {
  id: string;
  mode: string;
  status: string;
  lagBytes: number;
  lagSeconds: number;
  tables: string[];
  pausedAt: Date | null;
  verifiedAt: Date | null;
  verification: TLinkVerification | null;
  lastError: string | null;
  /** Both ends are real servers: pause, resume and verify apply. */
  real: boolean;
  source: { id: string; name: string; driver: string };
  target: { id: string; name: string; driver: string };
}

async function loadLink(db: TDb, linkId: string): Promise<TLinkDetail> {
  const row = await db.replicationLink.findUnique({
    where: { id: linkId },
    include: { source: { select: { id: true, name: true, driver: true } }, target: { select: { id: true, name: true, driver: true } } },
  });
  if (!row) throw new AppError("NOT_FOUND", "No such replication link");
  return {
    id: row.id,
    mode: row.mode,
    status: row.status,
    lagBytes: Number(row.lagBytes),
    lagSeconds: row.lagSeconds,
    tables: row.tables,
    pausedAt: row.pausedAt,
    verifiedAt: row.verifiedAt,
    verification: (row.verification as TLinkVerification | null) ?? null,
    lastError: row.lastError,
    real: row.source.driver === "POSTGRES" && row.target.driver === "POSTGRES",
    source: row.source,
    target: row.target,
  };
}

export function getLink(db: TDb, linkId: string): Promise<TLinkDetail> {
  return loadLink(db, linkId);
}

function assertReal(link: TLinkDetail, what: string): void {
  if (!link.real)
    throw new AppError("PRECONDITION_FAILED", `${link.source.name} -> ${link.target.name} is a simulated link: only links between real servers can be ${what}`);
}

/** A failure on a managed server as an AppError the page can show (never a credential: describePgError drops them). */
function fromActionError(error: unknown, link: TLinkDetail): never {
  if (error instanceof ActionError)
    throw new AppError("PRECONDITION_FAILED", `${link.source.name} -> ${link.target.name}: ${error.message}${error.humanAction ? `. ${error.humanAction}` : ""}`);
  throw error;
}

export interface TOperateLinkResult {
  linkId: string;
  from: string;
  to: string;
  alreadyDone: boolean;
}

/** Pause or resume a link between real servers; audited as `link.pause` / `link.resume`. */
export async function operateLink(
  prisma: PrismaClient,
  actor: TActor,
  op: "pause" | "resume",
  input: { linkId: string; reason?: string | undefined },
): Promise<TOperateLinkResult> {
  const link = await loadLink(prisma, input.linkId);
  assertReal(link, op === "pause" ? "paused" : "resumed");
  const access = postgresAccess();
  try {
    return await prisma.$transaction(
      async (tx) => {
        const result = await setLinkPaused(sqlOf(tx), access, input.linkId, op === "pause");
        await appendAuditEvent(tx, {
          actor: { id: actor.id, email: actor.email },
          action: `link.${op}`,
          targetType: "replicationLink",
          targetId: input.linkId,
          before: { status: result.from },
          after: {
            status: result.to,
            source: link.source.name,
            target: link.target.name,
            alreadyDone: result.alreadyDone,
            ...(input.reason ? { reason: input.reason } : {}),
          },
        });
        return { linkId: input.linkId, from: result.from, to: result.to, alreadyDone: result.alreadyDone };
      },
      { timeout: 30_000, maxWait: 10_000 },
    );
  } catch (error) {
    fromActionError(error, link);
  }
}

/**
 * Verifies a link's data now (both servers, per table): the result is stored on the link (a
 * CATCHING_UP link becomes ACTIVE when it passes) and audited as `link.verify`.
 */
export async function verifyLinkNow(prisma: PrismaClient, actor: TActor, input: { linkId: string }): Promise<TLinkVerification> {
  const link = await loadLink(prisma, input.linkId);
  assertReal(link, "verified");
  const access = postgresAccess();
  let verification: TLinkVerification;
  try {
    // Reading both servers can take a while: outside the transaction that stores the result.
    verification = await runLinkVerification(sqlOf(prisma), access, input.linkId, { timeoutMs: 60_000 });
  } catch (error) {
    fromActionError(error, link);
  }
  await prisma.$transaction(async (tx) => {
    await storeLinkVerification(sqlOf(tx), input.linkId, verification);
    await appendAuditEvent(tx, {
      actor: { id: actor.id, email: actor.email },
      action: "link.verify",
      targetType: "replicationLink",
      targetId: input.linkId,
      before: { status: link.status },
      after: {
        ok: verification.ok,
        tables: verification.tables.length,
        differing: verification.differing,
        source: link.source.name,
        target: link.target.name,
      },
    });
  });
  return verification;
}
