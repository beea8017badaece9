import { randomBytes } from "node:crypto";
import { isIP } from "node:net";
import bcrypt from "bcryptjs";

/**
 * Passwords of Meridian's own accounts: bcrypt hashes, generated one-time passwords, and the
 * rule that says when the console is reachable beyond this machine.
 */

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_BCRYPT_COST = 10;

export function hashPassword(password: string): Promise<string> {
  return bcrypt.hash(password, PASSWORD_BCRYPT_COST);
}

export function verifyPassword(password: string, hash: string): Promise<boolean> {
  return bcrypt.compare(password, hash);
}

/** 20 random bytes in base64url (27 characters, about 160 bits). */
export function generatePassword(): string {
  return randomBytes(20).toString("base64url");
}

/** True for addresses only this machine can reach: 127.0.0.0/8, ::1, `localhost`. */
export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[(.*)\]$/, "$1");
  if (h === "localhost" || h.endsWith(".localhost")) return true;
  if (isIP(h) === 4) return h.startsWith("127.");
  if (isIP(h) === 6) return h === "::1" || h === "0:0:0:0:0:0:0:1" || /^::ffff:127\./.test(h);
  return false;
}
