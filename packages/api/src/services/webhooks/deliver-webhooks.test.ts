import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import { type AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TTestDatabase } from "@meridian/db/testing";
import { backoffMs, deliverDueWebhooks, signWebhookBody, verifyWebhookSignature } from "./deliver-webhooks";
import { enqueueWebhook } from "./enqueue-webhook";

const SECRET = "test-webhook-secret-0123456789";

interface TReceived {
  body: string;
  headers: IncomingHttpHeaders;
}

/** A chat tool's incoming webhook, on 127.0.0.1: answers with the statuses it is told to, in turn. */
function receiver(statuses: number[]): Promise<{ url: string; received: TReceived[]; server: Server }> {
  const received: TReceived[] = [];
  const server = createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => (body += chunk));
    req.on("end", () => {
      received.push({ body, headers: req.headers });
      res.statusCode = statuses.shift() ?? 200;
      res.end(res.statusCode === 200 ? "ok" : "boom");
    });
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, received, server })),
  );
}

let db: TTestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.drop();
});

describe("webhook signing", () => {
  it("signs the raw body with HMAC-SHA256 and verifies in constant time", () => {
    const body = '{"event":"change_request.approved"}';
    const sig = signWebhookBody(body, SECRET);
    expect(sig).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(verifyWebhookSignature(body, sig, SECRET)).toBe(true);
    expect(verifyWebhookSignature(`${body} `, sig, SECRET)).toBe(false);
    expect(verifyWebhookSignature(body, sig, "another-secret-0123456789")).toBe(false);
    expect(verifyWebhookSignature(body, undefined, SECRET)).toBe(false);
  });

  it("backs off exponentially, capped", () => {
    expect([1, 2, 3, 4, 5].map((n) => backoffMs(n, 1000, 10_000))).toEqual([1000, 2000, 4000, 8000, 10_000]);
  });
});

describe("webhook delivery against a local HTTP receiver", () => {
  it("delivers a signed JSON message, retries after a 500 with backoff, then marks it delivered", async () => {
    const { url, received, server } = await receiver([500, 200]);
    try {
      let clock = new Date("2026-11-25T12:00:00.000Z");
      const now = () => clock;
      await enqueueWebhook(
        db.prisma,
        { event: "change_request.approved", text: "CR-7 Switch payments over: approved", data: { changeRequest: { number: 7 } } },
        clock,
      );
      const options = { url, secret: SECRET, now, baseDelayMs: 1000 };

      const first = await deliverDueWebhooks(db.prisma, options);
      expect(first).toEqual({ attempted: 1, delivered: 0, retried: 1, failed: 0 });
      let row = await db.prisma.webhookOutbox.findFirstOrThrow();
      expect(row).toMatchObject({ attempts: 1, lastStatus: 500, lastError: "HTTP 500", deliveredAt: null });
      expect(row.nextAttemptAt.getTime()).toBe(clock.getTime() + 1000);

      // Not due yet: nothing is sent.
      expect((await deliverDueWebhooks(db.prisma, options)).attempted).toBe(0);

      clock = new Date(clock.getTime() + 1000);
      const second = await deliverDueWebhooks(db.prisma, options);
      expect(second).toEqual({ attempted: 1, delivered: 1, retried: 0, failed: 0 });
      row = await db.prisma.webhookOutbox.findFirstOrThrow();
      expect(row.deliveredAt).not.toBeNull();
      expect(row.attempts).toBe(2);

      expect(received).toHaveLength(2);
      for (const r of received) {
        expect(r.headers["content-type"]).toBe("application/json");
        expect(r.headers["x-meridian-event"]).toBe("change_request.approved");
        expect(verifyWebhookSignature(r.body, r.headers["x-meridian-signature"] as string, SECRET)).toBe(true);
        const json = JSON.parse(r.body) as { text: string; event: string; data: unknown; id: string };
        expect(json).toMatchObject({ event: "change_request.approved", text: "CR-7 Switch payments over: approved", id: row.id });
      }
      expect(JSON.parse(received[1]!.body)).toMatchObject({ attempt: 2 });

      // Delivered rows are never sent again.
      clock = new Date(clock.getTime() + 3_600_000);
      expect((await deliverDueWebhooks(db.prisma, options)).attempted).toBe(0);
    } finally {
      server.close();
    }
  });

  it("gives up after the last attempt and records why", async () => {
    await db.prisma.webhookOutbox.deleteMany();
    let clock = new Date("2026-11-25T13:00:00.000Z");
    await enqueueWebhook(db.prisma, { event: "change_request.rejected", text: "x", data: {} }, clock);
    const options = {
      // Nothing listens there: a connection error, not an HTTP status.
      url: "http://127.0.0.1:9/none",
      secret: SECRET,
      now: () => clock,
      maxAttempts: 3,
      baseDelayMs: 10,
      timeoutMs: 2000,
    };
    for (let i = 0; i < 3; i++) {
      await deliverDueWebhooks(db.prisma, options);
      clock = new Date(clock.getTime() + 60_000);
    }
    const row = await db.prisma.webhookOutbox.findFirstOrThrow();
    expect(row.attempts).toBe(3);
    expect(row.failedAt).not.toBeNull();
    expect(row.lastError).toMatch(/fetch failed|ECONNREFUSED|Error/);
    expect((await deliverDueWebhooks(db.prisma, options)).attempted).toBe(0);
  });

  it("two deliverers never send the same row twice in one round", async () => {
    await db.prisma.webhookOutbox.deleteMany();
    const { url, received, server } = await receiver([]);
    try {
      const at = new Date("2026-11-25T14:00:00.000Z");
      for (let i = 0; i < 10; i++) await enqueueWebhook(db.prisma, { event: "change_request.draft", text: `n${i}`, data: {} }, at);
      const options = { url, secret: SECRET, now: () => at };
      const [x, y] = await Promise.all([deliverDueWebhooks(db.prisma, options), deliverDueWebhooks(db.prisma, options)]);
      expect(x.delivered + y.delivered).toBe(10);
      expect(received).toHaveLength(10);
      expect(new Set(received.map((r) => (JSON.parse(r.body) as { id: string }).id)).size).toBe(10);
    } finally {
      server.close();
    }
  });
});
