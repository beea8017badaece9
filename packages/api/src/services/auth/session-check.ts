import { isRole } from "@meridian/policy";
import type { TDb } from "../audit/append-audit-event";
import type { TSessionUser } from "../../context";

/**
 * Whether a signed session (a JWT) still grants access, decided at every request:
 * - idle timeout: no request for `idleMinutes` (the proxy refreshes `lastSeen`);
 * - absolute lifetime: `maxHours` after the sign-in, active or not;
 * - revocation: the token's `sessionVersion` differs from the user's row (bumped when roles
 *   change or the account is disabled), or the account is disabled or gone.
 */

export interface TSessionClaims {
  userId: string;
  /** `app_user.session_version` when the session was opened. */
  sessionVersion: number;
  /** Sign-in time, ms since the epoch. */
  authTime: number;
  /** Last request, ms since the epoch. */
  lastSeen: number;
}

export interface TSessionLimits {
  idleMinutes: number;
  maxHours: number;
}

export type TSessionRefusal = "idle" | "expired" | "revoked" | "disabled" | "unknown-user";

/** Time limits only (no database): also used by the proxy before it refreshes `lastSeen`. */
export function sessionTimeRefusal(claims: Pick<TSessionClaims, "authTime" | "lastSeen">, now: number, limits: TSessionLimits): TSessionRefusal | null {
  if (!Number.isFinite(claims.authTime) || now - claims.authTime > limits.maxHours * 3_600_000) return "expired";
  if (!Number.isFinite(claims.lastSeen) || now - claims.lastSeen > limits.idleMinutes * 60_000) return "idle";
  return null;
}

export type TCheckedSession =
  | { ok: true; user: TSessionUser & { mustChangePassword: boolean } }
  | { ok: false; reason: TSessionRefusal };

export async function checkSession(db: TDb, claims: TSessionClaims, now: number, limits: TSessionLimits): Promise<TCheckedSession> {
  const timed = sessionTimeRefusal(claims, now, limits);
  if (timed) return { ok: false, reason: timed };
  const row = await db.user.findUnique({
    where: { id: claims.userId },
    select: { id: true, email: true, name: true, roles: true, disabled: true, sessionVersion: true, mustChangePassword: true },
  });
  if (!row) return { ok: false, reason: "unknown-user" };
  if (row.disabled) return { ok: false, reason: "disabled" };
  if (row.sessionVersion !== claims.sessionVersion) return { ok: false, reason: "revoked" };
  return {
    ok: true,
    user: { id: row.id, email: row.email, name: row.name, roles: row.roles.filter(isRole), mustChangePassword: row.mustChangePassword },
  };
}
