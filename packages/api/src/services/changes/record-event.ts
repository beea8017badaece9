import { env } from "@meridian/db";
import { CHANGE_STATUS_LABELS, type TChangeStatus } from "@meridian/policy";
import { appendAuditEvent, type TAuditActor, type TDb } from "../audit/append-audit-event";
import { enqueueWebhook } from "../webhooks/enqueue-webhook";

export interface TRequestRef {
  id: string;
  number: number;
  title: string;
  kind: string;
  riskLevel: string | null;
}

export interface TChangeEvent {
  actor: TAuditActor & { name?: string | null };
  /** Audit action: `changeRequest.submitted` ... */
  action: string;
  request: TRequestRef;
  /** Set when the status moves: the event is then also sent as a webhook. */
  from?: TChangeStatus | null;
  to?: TChangeStatus;
  before?: unknown;
  after?: unknown;
  /** Extra words for the webhook's text ("rejected: not in this quarter"). */
  note?: string;
}

export function changeRequestUrl(number: number): string {
  const e = env();
  const base = (e.NEXTAUTH_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, "");
  return `${base}/changes/${number}`;
}

/**
 * Records a change request event in the caller's transaction: always an audit event, and for
 * a status change also a webhook in the outbox. The state change, its audit event and its
 * webhook commit together or not at all.
 */
export async function recordChangeEvent(db: TDb, event: TChangeEvent, now: Date): Promise<void> {
  const statusPart = event.to ? { from: event.from ?? null, to: event.to } : {};
  await appendAuditEvent(db, {
    actor: event.actor,
    action: event.action,
    targetType: "changeRequest",
    targetId: event.request.id,
    before: event.before ?? (event.from ? { status: event.from } : undefined),
    after: { number: event.request.number, ...statusPart, ...(event.after as object | undefined) },
  });
  if (!event.to) return;
  const who = event.actor.name ?? event.actor.email ?? "Meridian";
  const moved = event.from
    ? `${CHANGE_STATUS_LABELS[event.from].toLowerCase()} → ${CHANGE_STATUS_LABELS[event.to].toLowerCase()}`
    : CHANGE_STATUS_LABELS[event.to].toLowerCase();
  const url = changeRequestUrl(event.request.number);
  await enqueueWebhook(
    db,
    {
      event: `change_request.${event.to.toLowerCase()}`,
      text: `CR-${event.request.number} ${event.request.title}: ${moved} (by ${who})${event.note ? `: ${event.note}` : ""} ${url}`,
      data: {
        changeRequest: {
          id: event.request.id,
          number: event.request.number,
          title: event.request.title,
          kind: event.request.kind,
          risk: event.request.riskLevel,
          from: event.from ?? null,
          status: event.to,
          url,
        },
        actor: { id: event.actor.id, email: event.actor.email },
      },
    },
    now,
  );
}
