import { type Prisma, type PrismaClient } from "@meridian/db";

/**
 * Appends one event to the audit trail. The database does the rest: a BEFORE INSERT trigger
 * takes the chain lock, assigns the id and time, and sets `prev_hash` and `hash`; another
 * trigger refuses every UPDATE, DELETE and TRUNCATE. Call it inside the transaction of the
 * state change it records, so that the change and its audit event commit together.
 */
export type TDb = PrismaClient | Prisma.TransactionClient;

export interface TAuditActor {
  id: string | null;
  email: string | null;
}

export interface TAuditEntry {
  actor: TAuditActor;
  /** `changeRequest.approved`, `approvalPolicy.updated`, `auth.signIn` ... */
  action: string;
  /** `changeRequest`, `approvalPolicy`, `maintenanceWindow`, `dataCenter`, `user`, `auditChain` ... */
  targetType: string;
  targetId?: string | null;
  before?: unknown;
  after?: unknown;
}

/** Plain JSON (dates as ISO strings, bigints as strings, undefined dropped) for a Json column. */
export function toJson(value: unknown): Prisma.InputJsonValue {
  return JSON.parse(
    JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? v.toString() : v)),
  ) as Prisma.InputJsonValue;
}

export const SYSTEM_ACTOR: TAuditActor = { id: null, email: null };

export function auditActorOf(user: { id: string; email: string } | null | undefined): TAuditActor {
  return user ? { id: user.id, email: user.email } : SYSTEM_ACTOR;
}

export async function appendAuditEvent(db: TDb, entry: TAuditEntry): Promise<void> {
  await db.auditEvent.create({
    data: {
      actorId: entry.actor.id,
      actorEmail: entry.actor.email,
      action: entry.action,
      targetType: entry.targetType,
      targetId: entry.targetId ?? null,
      ...(entry.before === undefined ? {} : { before: toJson(entry.before) }),
      ...(entry.after === undefined ? {} : { after: toJson(entry.after) }),
      // Overwritten by the chain trigger; required by the column types only.
      prevHash: "",
      hash: "",
    },
    select: { id: true },
  });
}
