import { createHmac, timingSafeEqual } from "node:crypto";
import { env, type PrismaClient } from "@meridian/db";

/**
 * Delivers the webhook outbox: claims due rows (a conditional update, FOR UPDATE SKIP LOCKED,
 * so several processes can deliver side by side), POSTs each payload as JSON signed with
 * HMAC-SHA256 over the raw body (`x-meridian-signature: sha256=<hex>`), and marks it
 * delivered, or schedules the next attempt with exponential backoff (1 s, 2 s, 4 s ... capped
 * at an hour), giving up after `maxAttempts`.
 */
export const SIGNATURE_HEADER = "x-meridian-signature";

export function signWebhookBody(body: string, secret: string): string {
  return `sha256=${createHmac("sha256", secret).update(body, "utf8").digest("hex")}`;
}

/** For receivers (and tests): constant-time check of a signature header against the raw body. */
export function verifyWebhookSignature(body: string, header: string | null | undefined, secret: string): boolean {
  if (!header) return false;
  const expected = Buffer.from(signWebhookBody(body, secret));
  const given = Buffer.from(header);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

export interface TDeliveryOptions {
  url: string;
  secret: string;
  now?: () => Date;
  fetch?: typeof fetch;
  /** Rows per round. */
  batchSize?: number;
  maxAttempts?: number;
  /** Delay before the 2nd attempt; doubled for each further one. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** How long a claimed row stays reserved for this deliverer. */
  leaseMs?: number;
  timeoutMs?: number;
}

export interface TDeliveryReport {
  attempted: number;
  delivered: number;
  retried: number;
  failed: number;
}

export function backoffMs(attempt: number, base: number, cap: number): number {
  return Math.min(cap, base * 2 ** Math.max(0, attempt - 1));
}

interface TClaimed {
  id: string;
  event: string;
  payload: unknown;
  attempts: number;
}

export async function deliverDueWebhooks(prisma: PrismaClient, options: TDeliveryOptions): Promise<TDeliveryReport> {
  const now = options.now ?? (() => new Date());
  const doFetch = options.fetch ?? fetch;
  const batchSize = options.batchSize ?? 20;
  const maxAttempts = options.maxAttempts ?? 12;
  const base = options.baseDelayMs ?? 1_000;
  const cap = options.maxDelayMs ?? 3_600_000;
  const leaseMs = options.leaseMs ?? 60_000;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const at = now();
  const claimed = await prisma.$queryRaw<TClaimed[]>`
    UPDATE webhook_outbox o
       SET locked_until = ${new Date(at.getTime() + leaseMs)}, attempts = o.attempts + 1
     WHERE o.id IN (
       SELECT id FROM webhook_outbox
        WHERE delivered_at IS NULL AND failed_at IS NULL
          AND next_attempt_at <= ${at}
          AND (locked_until IS NULL OR locked_until <= ${at})
        ORDER BY next_attempt_at, created_at
        LIMIT ${batchSize}
        FOR UPDATE SKIP LOCKED)
    RETURNING o.id::text AS id, o.event, o.payload, o.attempts`;

  const report: TDeliveryReport = { attempted: claimed.length, delivered: 0, retried: 0, failed: 0 };
  for (const row of claimed) {
    const body = JSON.stringify({ id: row.id, attempt: row.attempts, ...(row.payload as Record<string, unknown>) });
    let status: number | null = null;
    let error: string | null = null;
    try {
      const res = await doFetch(options.url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          [SIGNATURE_HEADER]: signWebhookBody(body, options.secret),
          "x-meridian-event": row.event,
          "x-meridian-delivery": row.id,
          "user-agent": "Meridian-Webhooks/1",
        },
        body,
        signal: AbortSignal.timeout(timeoutMs),
        redirect: "manual",
      });
      status = res.status;
      await res.body?.cancel().catch(() => {});
      if (res.status < 200 || res.status >= 300) error = `HTTP ${res.status}`;
    } catch (e) {
      error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    }
    const done = now();
    if (error === null) {
      await prisma.webhookOutbox.updateMany({
        where: { id: row.id, deliveredAt: null },
        data: { deliveredAt: done, lockedUntil: null, lastStatus: status, lastError: null },
      });
      report.delivered += 1;
    } else if (row.attempts >= maxAttempts) {
      await prisma.webhookOutbox.updateMany({
        where: { id: row.id, deliveredAt: null },
        data: { failedAt: done, lockedUntil: null, lastStatus: status, lastError: error.slice(0, 2000) },
      });
      report.failed += 1;
    } else {
      await prisma.webhookOutbox.updateMany({
        where: { id: row.id, deliveredAt: null },
        data: {
          nextAttemptAt: new Date(done.getTime() + backoffMs(row.attempts, base, cap)),
          lockedUntil: null,
          lastStatus: status,
          lastError: error.slice(0, 2000),
        },
      });
      report.retried += 1;
    }
  }
  return report;
}

/** Delivery settings from the environment, or null when no webhook is configured. */
export function webhookSettingsFromEnv(): { url: string; secret: string } | null {
  const e = env();
  if (!e.MERIDIAN_WEBHOOK_URL) return null;
  if (!e.MERIDIAN_WEBHOOK_SECRET) {
    console.warn("MERIDIAN_WEBHOOK_URL is set but MERIDIAN_WEBHOOK_SECRET is not: webhooks are not sent");
    return null;
  }
  return { url: e.MERIDIAN_WEBHOOK_URL, secret: e.MERIDIAN_WEBHOOK_SECRET };
}

export interface TWebhookDeliverer {
  /** Run a round soon (after a state change committed). */
  kick: () => void;
  stop: () => void;
}

/** Delivers every `intervalMs` and whenever kicked; one round at a time. */
export function startWebhookDeliverer(
  prisma: PrismaClient,
  options: TDeliveryOptions & { intervalMs?: number; onError?: (error: unknown) => void },
): TWebhookDeliverer {
  let running = false;
  let again = false;
  let stopped = false;
  const round = async () => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      do {
        again = false;
        const report = await deliverDueWebhooks(prisma, options);
        if (report.attempted === (options.batchSize ?? 20)) again = true;
      } while (again && !stopped);
    } catch (error) {
      (options.onError ?? ((e) => console.error("webhook delivery failed:", e)))(error);
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void round(), options.intervalMs ?? 5_000);
  timer.unref?.();
  return {
    kick: () => void round(),
    stop: () => {
      stopped = true;
      clearInterval(timer);
    },
  };
}

const globalForWebhooks = globalThis as unknown as { meridianWebhookDeliverer?: TWebhookDeliverer | null };

/**
 * In-process deliverer for the console: started on the first state change when
 * MERIDIAN_WEBHOOK_URL and MERIDIAN_WEBHOOK_SECRET are set, then kicked after each commit.
 * A no-op when no webhook is configured.
 */
export function kickWebhookDeliverer(prisma: PrismaClient): void {
  if (globalForWebhooks.meridianWebhookDeliverer === undefined) {
    const settings = webhookSettingsFromEnv();
    globalForWebhooks.meridianWebhookDeliverer = settings ? startWebhookDeliverer(prisma, settings) : null;
  }
  globalForWebhooks.meridianWebhookDeliverer?.kick();
}
