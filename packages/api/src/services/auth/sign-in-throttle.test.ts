import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTestDatabase, type TTestDatabase } from "@meridian/db/testing";
import {
  accountKey,
  addressKey,
  clearAccountFailures,
  clientAddressOf,
  countFailure,
  recordSignInFailure,
  signInBlock,
  SIGN_IN_LIMITS,
  tooManyAttemptsCode,
} from "./sign-in-throttle";

let db: TTestDatabase;
let userId: string;
const EMAIL = "victim@meridian.test";

beforeAll(async () => {
  db = await createTestDatabase();
  const user = await db.prisma.user.create({ data: { email: EMAIL, name: "Victim", roles: ["DBA"], passwordHash: "x" } });
  userId = user.id;
});
afterAll(async () => {
  await db.drop();
});
beforeEach(async () => {
  await db.prisma.$executeRaw`DELETE FROM sign_in_throttle`;
});

async function auditCount(action: string): Promise<number> {
  return db.prisma.auditEvent.count({ where: { action } });
}

describe("sign-in throttle", () => {
  it("blocks an account at its 5th failure in the window, for 15 minutes, and says how long", async () => {
    const rule = SIGN_IN_LIMITS.account;
    for (let i = 1; i < rule.maxFailures; i++) {
      const r = await recordSignInFailure(db.prisma, { email: EMAIL, address: `10.0.0.${i}`, userId, reason: "wrong password" });
      expect(r.block.blocked).toBe(false);
      expect(r.counts[0]!.failures).toBe(i);
    }
    expect((await signInBlock(db.prisma, [accountKey(EMAIL)])).blocked).toBe(false);
    const last = await recordSignInFailure(db.prisma, { email: EMAIL, address: "10.0.0.9", userId, reason: "wrong password" });
    expect(last.block.blocked).toBe(true);
    expect(last.block.retryAfterSeconds).toBeGreaterThan(rule.blockSeconds - 5);
    expect(last.block.retryAfterSeconds).toBeLessThanOrEqual(rule.blockSeconds);
    const block = await signInBlock(db.prisma, [accountKey(EMAIL), addressKey("10.0.0.77")]);
    expect(block.blocked).toBe(true);
    expect(tooManyAttemptsCode(block.retryAfterSeconds)).toBe("TooManyAttempts.15");
    // The other account is not affected.
    expect((await signInBlock(db.prisma, [accountKey("someone-else@meridian.test")])).blocked).toBe(false);
  });

  it("counts concurrent failures from many processes exactly (atomic upsert)", async () => {
    const key = addressKey("192.0.2.10");
    const rule = { maxFailures: 1000, windowSeconds: 900, blockSeconds: 900 };
    await Promise.all(Array.from({ length: 40 }, () => countFailure(db.prisma, key, rule)));
    const rows = await db.prisma.signInThrottle.findMany({ where: { key: key.key } });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.failures).toBe(40);
  });

  it("exactly one failure becomes the block, even when they race", async () => {
    const key = addressKey("192.0.2.11");
    const results = await Promise.all(Array.from({ length: 30 }, () => countFailure(db.prisma, key, SIGN_IN_LIMITS.address)));
    expect(results.filter((r) => r.becameBlocked)).toHaveLength(1);
    expect(Math.max(...results.map((r) => r.failures))).toBe(30);
  });

  it("starts a new window once the old one has passed, and a block ends", async () => {
    const key = accountKey("window@meridian.test");
    for (let i = 0; i < 3; i++) await countFailure(db.prisma, key, SIGN_IN_LIMITS.account);
    await db.prisma.$executeRaw`UPDATE sign_in_throttle SET window_start = now() - interval '16 minutes' WHERE key = ${key.key}`;
    const next = await countFailure(db.prisma, key, SIGN_IN_LIMITS.account);
    expect(next.failures).toBe(1);
    for (let i = 0; i < 4; i++) await countFailure(db.prisma, key, SIGN_IN_LIMITS.account);
    expect((await signInBlock(db.prisma, [key])).blocked).toBe(true);
    await db.prisma.$executeRaw`UPDATE sign_in_throttle SET blocked_until = now() - interval '1 second', window_start = now() - interval '16 minutes' WHERE key = ${key.key}`;
    expect((await signInBlock(db.prisma, [key])).blocked).toBe(false);
    expect((await countFailure(db.prisma, key, SIGN_IN_LIMITS.account)).failures).toBe(1);
  });

  it("blocks an address that tries many accounts, and audits in aggregate", async () => {
    const failedBefore = await auditCount("auth.signInFailed");
    const blockedBefore = await auditCount("auth.signInBlocked");
    let blockedAt = 0;
    for (let i = 1; i <= SIGN_IN_LIMITS.address.maxFailures + 10; i++) {
      const r = await recordSignInFailure(db.prisma, { email: `guess-${i}@meridian.test`, address: "203.0.113.5", userId: null, reason: "unknown email" });
      if (r.block.blocked && !blockedAt) blockedAt = i;
    }
    expect(blockedAt).toBe(SIGN_IN_LIMITS.address.maxFailures);
    // 30 failures of unknown emails: no per-failure event, one block event with the count.
    expect(await auditCount("auth.signInFailed")).toBe(failedBefore);
    expect(await auditCount("auth.signInBlocked")).toBe(blockedBefore + 1);
    const event = await db.prisma.auditEvent.findFirst({ where: { action: "auth.signInBlocked" }, orderBy: { id: "desc" } });
    expect(event?.after).toMatchObject({ kind: "address", subject: "203.0.113.5", failures: SIGN_IN_LIMITS.address.maxFailures });
  });

  it("a known account's failures write one event per window plus one when it is blocked", async () => {
    const failedBefore = await auditCount("auth.signInFailed");
    const blockedBefore = await auditCount("auth.signInBlocked");
    for (let i = 0; i < 12; i++) {
      await recordSignInFailure(db.prisma, { email: EMAIL, address: `198.51.100.${i}`, userId, reason: "wrong password" });
    }
    expect(await auditCount("auth.signInFailed")).toBe(failedBefore + 1);
    expect(await auditCount("auth.signInBlocked")).toBe(blockedBefore + 1);
  });

  it("a successful sign-in clears the account's count, not the address's", async () => {
    for (let i = 0; i < 4; i++) await recordSignInFailure(db.prisma, { email: EMAIL, address: "198.51.100.200", userId, reason: "wrong password" });
    await clearAccountFailures(db.prisma, EMAIL);
    const rows = await db.prisma.signInThrottle.findMany({ orderBy: { key: "asc" } });
    expect(rows.map((r) => [r.key, r.failures])).toEqual([["address:198.51.100.200", 4]]);
  });

  it("reads the launcher's stamped client address, else the last X-Forwarded-For entry", () => {
    expect(clientAddressOf(new Headers({ "x-forwarded-for": "::ffff:127.0.0.1" }))).toBe("::ffff:127.0.0.1");
    expect(addressKey("::ffff:127.0.0.1").key).toBe("address:127.0.0.1");
    expect(clientAddressOf({ "x-forwarded-for": "1.2.3.4, 10.1.1.1" })).toBe("10.1.1.1");
    expect(clientAddressOf(undefined)).toBe("unknown");
    // The launcher's stamp wins over whatever the client wrote in X-Forwarded-For.
    expect(clientAddressOf(new Headers({ "x-forwarded-for": "6.6.6.6", "x-meridian-client-address": "192.0.2.50" }))).toBe("192.0.2.50");
  });
});
