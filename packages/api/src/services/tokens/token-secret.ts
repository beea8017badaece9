import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * API token secrets: `mrd_<prefix>_<secret>`. The prefix (12 lowercase base32 characters) finds
 * the row; only the sha256 of the whole token is stored, compared in constant time.
 */
export const TOKEN_PREFIX_LENGTH = 12;
const ALPHABET = "abcdefghijklmnopqrstuvwxyz234567";
const TOKEN_RE = /^mrd_([a-z2-7]{12})_([A-Za-z0-9_-]{43})$/;

function base32(bytes: Buffer, length: number): string {
  let out = "";
  for (let i = 0; i < length; i++) out += ALPHABET[bytes[i]! % 32];
  return out;
}

export function generateTokenSecret(): { token: string; prefix: string; hash: string } {
  const prefix = base32(randomBytes(TOKEN_PREFIX_LENGTH), TOKEN_PREFIX_LENGTH);
  const secret = randomBytes(32).toString("base64url");
  const token = `mrd_${prefix}_${secret}`;
  return { token, prefix, hash: hashToken(token) };
}

export function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/** The secret part of a well-formed token (after `mrd_<prefix>_`; it may itself contain `_`), or null. */
export function tokenSecretOf(token: string): string | null {
  return TOKEN_RE.exec(token)?.[2] ?? null;
}

/** The lookup prefix of a well-formed token, or null. */
export function tokenPrefixOf(token: string): string | null {
  return TOKEN_RE.exec(token)?.[1] ?? null;
}

export function tokenMatchesHash(token: string, storedHash: string): boolean {
  const a = Buffer.from(hashToken(token), "hex");
  const b = Buffer.from(storedHash, "hex");
  return a.length === b.length && timingSafeEqual(a, b);
}
