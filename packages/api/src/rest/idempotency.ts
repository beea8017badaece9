import { createHash } from "node:crypto";
import { type Prisma, type PrismaClient } from "@meridian/db";

/**
 * `Idempotency-Key` for the team API's POSTs. The first request with a key (per token) claims
 * it with an insert; its response (2xx and 4xx but 409/429) is stored and replayed to every
 * retry with the same body; a retry with another body is a 409. Concurrent retries wait for the
 * first to finish. A 5xx, 409 or 429 releases the key, so the retry runs again.
 */
export const IDEMPOTENCY_KEY_RE = /^[\x21-\x7e]{1,255}$/;

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === "object")
    return Object.fromEntries(
      Object.keys(value as object)
        .sort()
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  return value;
}

export function requestHashOf(method: string, path: string, rawBody: string): string {
  let body = rawBody;
  try {
    body = JSON.stringify(canonical(JSON.parse(rawBody)));
  } catch {
    // not JSON: hash the raw text
  }
  return createHash("sha256").update(`${method} ${path}\n${body}`).digest("hex");
}

export interface TStoredResponse {
  status: number;
  body: unknown;
}

export type TClaim =
  | { kind: "claimed" }
  | { kind: "replay"; response: TStoredResponse }
  | { kind: "mismatch" }
  | { kind: "in-progress" };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function claimIdempotencyKey(
  prisma: PrismaClient,
  tokenId: string,
  key: string,
  requestHash: string,
  options: { waitMs?: number } = {},
): Promise<TClaim> {
  const inserted = await prisma.idempotencyKey.createMany({ data: [{ tokenId, key, requestHash }], skipDuplicates: true });
  if (inserted.count === 1) return { kind: "claimed" };
  const deadline = Date.now() + (options.waitMs ?? 15_000);
  for (let delay = 20; ; delay = Math.min(delay * 2, 250)) {
    const row = await prisma.idempotencyKey.findUnique({ where: { tokenId_key: { tokenId, key } } });
    if (!row) {
      // Released by a failed first attempt: claim it again.
      const again = await prisma.idempotencyKey.createMany({ data: [{ tokenId, key, requestHash }], skipDuplicates: true });
      if (again.count === 1) return { kind: "claimed" };
      continue;
    }
    if (row.requestHash !== requestHash) return { kind: "mismatch" };
    if (row.status !== null) return { kind: "replay", response: { status: row.status, body: row.response } };
    if (Date.now() >= deadline) return { kind: "in-progress" };
    await sleep(delay);
  }
}

export async function completeIdempotencyKey(
  prisma: PrismaClient,
  tokenId: string,
  key: string,
  response: TStoredResponse,
): Promise<void> {
  if (response.status >= 500 || response.status === 409 || response.status === 429) {
    await prisma.idempotencyKey.deleteMany({ where: { tokenId, key, status: null } });
    return;
  }
  await prisma.idempotencyKey.updateMany({
    where: { tokenId, key, status: null },
    data: { status: response.status, response: (response.body ?? null) as Prisma.InputJsonValue, completedAt: new Date() },
  });
}

export async function releaseIdempotencyKey(prisma: PrismaClient, tokenId: string, key: string): Promise<void> {
  await prisma.idempotencyKey.deleteMany({ where: { tokenId, key, status: null } });
}

/** Keys are kept 24 hours: a retry after that runs again. */
export const IDEMPOTENCY_KEY_TTL_MS = 24 * 60 * 60 * 1000;

export async function pruneIdempotencyKeys(prisma: PrismaClient, now: Date): Promise<number> {
  const res = await prisma.idempotencyKey.deleteMany({ where: { createdAt: { lt: new Date(now.getTime() - IDEMPOTENCY_KEY_TTL_MS) } } });
  return res.count;
}
