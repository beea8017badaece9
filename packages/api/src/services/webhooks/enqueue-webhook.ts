import { type TDb, toJson } from "../audit/append-audit-event";

/**
 * The transactional outbox: a webhook is a row written in the same transaction as the state
 * change it announces, so a change is never announced without happening, nor happens without
 * being announced. The deliverer (deliver-webhooks.ts) sends it later and retries.
 */
export interface TWebhookMessage {
  /** `change_request.approved`, `change_request.blocked` ... */
  event: string;
  /** One line for people: chat tools' incoming webhooks show the `text` field. */
  text: string;
  /** Structured details for machines. */
  data: Record<string, unknown>;
}

export async function enqueueWebhook(db: TDb, message: TWebhookMessage, now: Date): Promise<void> {
  await db.webhookOutbox.create({
    data: {
      event: message.event,
      payload: toJson({ event: message.event, text: message.text, occurredAt: now.toISOString(), data: message.data }),
      nextAttemptAt: now,
    },
    select: { id: true },
  });
}
