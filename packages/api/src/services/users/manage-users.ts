import { hashPassword, PASSWORD_MIN_LENGTH, verifyPassword, type PrismaClient } from "@meridian/db";
import { AppError } from "../../errors";
import { appendAuditEvent, auditActorOf } from "../audit/append-audit-event";
import { type TActor } from "../changes/actor";
import {
  type TChangeOwnPasswordRequest,
  type TSetUserDisabledRequest,
  type TSetUserRolesRequest,
} from "../../routers/users/users.schema";

/**
 * Account changes that affect access. Each one that narrows access (roles, disabling) bumps
 * `app_user.session_version` in the same transaction, so every open session of that user is
 * refused at its next request (see services/auth/session-check.ts), not when its token expires.
 */

export interface TUserAccessView {
  id: string;
  email: string;
  roles: string[];
  disabled: boolean;
  sessionVersion: number;
}

const view = { id: true, email: true, roles: true, disabled: true, sessionVersion: true } as const;

export async function setUserRoles(prisma: PrismaClient, actor: TActor, input: TSetUserRolesRequest): Promise<TUserAccessView> {
  return prisma.$transaction(async (tx) => {
    const before = await tx.user.findUnique({ where: { id: input.userId }, select: view });
    if (!before) throw new AppError("NOT_FOUND", "No such user");
    if (before.id === actor.id && !input.roles.includes("ADMIN") && before.roles.includes("ADMIN")) {
      throw new AppError("INVALID", "You cannot remove your own administrator role", { roles: ["Keep ADMIN on your own account"] });
    }
    const after = await tx.user.update({
      where: { id: input.userId },
      data: { roles: input.roles, sessionVersion: { increment: 1 } },
      select: view,
    });
    await appendAuditEvent(tx, {
      actor: auditActorOf(actor),
      action: "user.rolesChanged",
      targetType: "user",
      targetId: after.id,
      before: { roles: before.roles },
      after: { roles: after.roles, sessionsRevoked: true },
    });
    return after;
  });
}

export async function setUserDisabled(prisma: PrismaClient, actor: TActor, input: TSetUserDisabledRequest): Promise<TUserAccessView> {
  return prisma.$transaction(async (tx) => {
    const before = await tx.user.findUnique({ where: { id: input.userId }, select: view });
    if (!before) throw new AppError("NOT_FOUND", "No such user");
    if (before.id === actor.id && input.disabled) {
      throw new AppError("INVALID", "You cannot disable your own account", { disabled: ["Ask another administrator"] });
    }
    const after = await tx.user.update({
      where: { id: input.userId },
      data: { disabled: input.disabled, ...(input.disabled ? { sessionVersion: { increment: 1 } } : {}) },
      select: view,
    });
    await appendAuditEvent(tx, {
      actor: auditActorOf(actor),
      action: input.disabled ? "user.disabled" : "user.enabled",
      targetType: "user",
      targetId: after.id,
      before: { disabled: before.disabled },
      after: { disabled: after.disabled, ...(input.disabled ? { sessionsRevoked: true } : {}) },
    });
    return after;
  });
}

/**
 * The signed-in user's own password. Clears `must_change_password` (a generated first
 * password); the session in use stays valid. Never logs or audits a password.
 */
export async function changeOwnPassword(prisma: PrismaClient, actor: TActor, input: TChangeOwnPasswordRequest): Promise<{ changed: true }> {
  const row = await prisma.user.findUnique({ where: { id: actor.id }, select: { id: true, passwordHash: true } });
  if (!row) throw new AppError("NOT_FOUND", "No such user");
  if (!row.passwordHash) {
    throw new AppError("PRECONDITION_FAILED", "This account signs in through single sign-on: it has no Meridian password");
  }
  if (!(await verifyPassword(input.currentPassword, row.passwordHash))) {
    throw new AppError("INVALID", "The current password is wrong", { currentPassword: ["Wrong password"] });
  }
  if (input.newPassword === input.currentPassword) {
    throw new AppError("INVALID", "Choose a password different from the current one", { newPassword: ["Same as the current password"] });
  }
  const passwordHash = await hashPassword(input.newPassword);
  await prisma.$transaction(async (tx) => {
    await tx.user.update({ where: { id: row.id }, data: { passwordHash, mustChangePassword: false } });
    await appendAuditEvent(tx, { actor: auditActorOf(actor), action: "user.passwordChanged", targetType: "user", targetId: row.id });
  });
  return { changed: true };
}

export { PASSWORD_MIN_LENGTH };
