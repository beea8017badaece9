import { createHash } from "node:crypto";
import { appendAuditEvent, type TDb } from "../audit/append-audit-event";

/**
 * Sign-in throttle: failed attempts counted per account (the email typed, known or not) and
 * per client address, in the metadata database (`sign_in_throttle`), so that every console
 * process shares the count. Fixed window: the first failure opens a window; the failure that
 * reaches `maxFailures` inside it blocks the key for `blockSeconds`. Every statement is one
 * atomic `INSERT ... ON CONFLICT DO UPDATE ... RETURNING`; the clock is the database's.
 *
 * The audit trail gets at most: the first failure of a window of a KNOWN account, and one
 * `auth.signInBlocked` event (with the count) when a key becomes blocked. An attacker cannot
 * flood it: unknown emails write nothing until their address is blocked.
 */

export interface TThrottleRule {
  maxFailures: number;
  windowSeconds: number;
  blockSeconds: number;
}

export const SIGN_IN_LIMITS: { account: TThrottleRule; address: TThrottleRule } = {
  account: { maxFailures: 5, windowSeconds: 15 * 60, blockSeconds: 15 * 60 },
  address: { maxFailures: 20, windowSeconds: 15 * 60, blockSeconds: 15 * 60 },
};

export type TThrottleKind = "account" | "address";

export interface TThrottleKey {
  kind: TThrottleKind;
  key: string;
  /** What the key stands for, for the audit event (the email or the address). */
  subject: string;
}

export function accountKey(email: string): TThrottleKey {
  const subject = email.trim().toLowerCase();
  const id = subject.length <= 280 ? subject : createHash("sha256").update(subject).digest("hex");
  return { kind: "account", key: `account:${id}`, subject };
}

export function addressKey(address: string): TThrottleKey {
  const subject = address.trim().replace(/^::ffff:/i, "").slice(0, 200) || "unknown";
  return { kind: "address", key: `address:${subject}`, subject };
}

/** Set on every request by the launcher's preload (apps/console/scripts/client-address.mjs). */
export const CLIENT_ADDRESS_HEADER = "x-meridian-client-address";

/**
 * The client address of a request: `x-meridian-client-address`, stamped by the launcher from
 * the TCP peer (or, when the peer is loopback or a trusted proxy, from the last
 * `X-Forwarded-For` entry), so a direct client cannot forge it. Without the launcher (`next
 * dev`): the last `X-Forwarded-For` entry (Next sets it to the peer when absent).
 */
export function clientAddressOf(headers: { get(name: string): string | null } | Record<string, unknown> | undefined): string {
  const read = (name: string): string => {
    if (!headers) return "";
    const raw = typeof (headers as { get?: unknown }).get === "function"
      ? (headers as { get(n: string): string | null }).get(name)
      : (headers as Record<string, unknown>)[name];
    return Array.isArray(raw) ? raw.join(",") : typeof raw === "string" ? raw : "";
  };
  const stamped = read(CLIENT_ADDRESS_HEADER).trim();
  if (stamped) return stamped;
  const parts = read("x-forwarded-for").split(",").map((p) => p.trim()).filter(Boolean);
  return parts.at(-1) ?? "unknown";
}

export interface TThrottleBlock {
  blocked: boolean;
  /** Seconds until the longest block among the keys ends (0 when not blocked). */
  retryAfterSeconds: number;
}

/** Whether any of the keys is blocked now. */
export async function signInBlock(db: TDb, keys: readonly TThrottleKey[]): Promise<TThrottleBlock> {
  const rows = await db.$queryRaw<{ seconds: number | null }[]>`
    SELECT ceil(extract(epoch FROM max(blocked_until) - now()) - 0.001)::int AS seconds
      FROM sign_in_throttle
     WHERE key = ANY(${keys.map((k) => k.key)}::text[]) AND blocked_until > now()`;
  const seconds = rows[0]?.seconds ?? 0;
  return { blocked: seconds > 0, retryAfterSeconds: Math.max(0, seconds) };
}

export interface TFailureCount {
  key: TThrottleKey;
  failures: number;
  /** True for the one failure that reached the limit (the key is blocked from now on). */
  becameBlocked: boolean;
  blockedUntil: Date | null;
  /** Seconds until the block ends, by the database's clock (0 when not blocked). */
  retryAfterSeconds: number;
}

/** Counts one failure against a key (atomic: concurrent failures from many processes all count). */
export async function countFailure(db: TDb, key: TThrottleKey, rule: TThrottleRule): Promise<TFailureCount> {
  const window = rule.windowSeconds;
  const block = rule.blockSeconds;
  const max = rule.maxFailures;
  const rows = await db.$queryRaw<{ failures: number; blocked_until: Date | null; retry_seconds: number | null }[]>`
    INSERT INTO sign_in_throttle AS t (key, failures, window_start, blocked_until, updated_at)
    VALUES (${key.key}, 1, now(), CASE WHEN 1 >= ${max}::int THEN now() + make_interval(secs => ${block}::int) END, now())
    ON CONFLICT (key) DO UPDATE SET
      failures = CASE WHEN t.window_start <= now() - make_interval(secs => ${window}::int) THEN 1 ELSE t.failures + 1 END,
      window_start = CASE WHEN t.window_start <= now() - make_interval(secs => ${window}::int) THEN now() ELSE t.window_start END,
      blocked_until = CASE
        WHEN (CASE WHEN t.window_start <= now() - make_interval(secs => ${window}::int) THEN 1 ELSE t.failures + 1 END) >= ${max}::int
          THEN now() + make_interval(secs => ${block}::int)
        ELSE t.blocked_until END,
      updated_at = now()
    RETURNING failures, blocked_until, ceil(extract(epoch FROM blocked_until - now()) - 0.001)::int AS retry_seconds`;
  const row = rows[0]!;
  return {
    key,
    failures: row.failures,
    becameBlocked: row.failures === max,
    blockedUntil: row.blocked_until,
    retryAfterSeconds: Math.max(0, row.retry_seconds ?? 0),
  };
}

export interface TRecordedFailure {
  counts: TFailureCount[];
  /** Set when this failure blocked the account or the address. */
  block: TThrottleBlock;
}

/**
 * Records one failed sign-in against the account and the address; writes the aggregated
 * audit events. `userId` is the account's id when the email is known.
 */
export async function recordSignInFailure(
  db: TDb,
  input: { email: string; address: string; userId: string | null; reason: string },
): Promise<TRecordedFailure> {
  const account = await countFailure(db, accountKey(input.email), SIGN_IN_LIMITS.account);
  const address = await countFailure(db, addressKey(input.address), SIGN_IN_LIMITS.address);
  const actor = { id: input.userId, email: account.key.subject };
  if (input.userId && account.failures === 1) {
    await appendAuditEvent(db, {
      actor,
      action: "auth.signInFailed",
      targetType: "user",
      targetId: input.userId,
      after: { provider: "credentials", reason: input.reason, note: "first failure in a 15-minute window; further ones are counted" },
    });
  }
  for (const count of [account, address]) {
    if (!count.becameBlocked) continue;
    await appendAuditEvent(db, {
      actor,
      action: "auth.signInBlocked",
      targetType: count.key.kind === "account" ? "user" : "clientAddress",
      targetId: count.key.kind === "account" ? input.userId : count.key.subject,
      after: {
        kind: count.key.kind,
        subject: count.key.subject,
        failures: count.failures,
        windowSeconds: SIGN_IN_LIMITS[count.key.kind].windowSeconds,
        blockedUntil: count.blockedUntil,
      },
    });
  }
  const seconds = Math.max(...[account, address].map((c) => c.retryAfterSeconds));
  return { counts: [account, address], block: { blocked: seconds > 0, retryAfterSeconds: seconds } };
}

/** A successful sign-in clears the account's count (never the address's) and prunes stale rows. */
export async function clearAccountFailures(db: TDb, email: string): Promise<void> {
  await db.$executeRaw`DELETE FROM sign_in_throttle WHERE key = ${accountKey(email).key}`;
  await db.$executeRaw`DELETE FROM sign_in_throttle
    WHERE updated_at < now() - interval '1 day' AND (blocked_until IS NULL OR blocked_until < now())`;
}

/** "Too many attempts, try again in N minutes": the error code the sign-in page turns into words. */
export function tooManyAttemptsCode(retryAfterSeconds: number): string {
  return `TooManyAttempts.${Math.max(1, Math.ceil(retryAfterSeconds / 60))}`;
}
