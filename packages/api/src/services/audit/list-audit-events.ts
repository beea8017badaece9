import { type Prisma, type PrismaClient } from "@meridian/db";
import { type TAuditFilter, type TListAuditEventsRequest } from "../../routers/audit/list-audit-events.schema";

export interface TAuditEventView {
  id: string;
  occurredAt: Date;
  actorId: string | null;
  actorEmail: string | null;
  action: string;
  targetType: string;
  targetId: string | null;
  before: unknown;
  after: unknown;
  prevHash: string;
  hash: string;
}

export interface TAuditPage {
  items: TAuditEventView[];
  total: number;
  page: number;
  pageSize: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function auditWhere(filter: TAuditFilter): Prisma.AuditEventWhereInput {
  const and: Prisma.AuditEventWhereInput[] = [];
  if (filter.actor) {
    and.push(
      UUID.test(filter.actor)
        ? { actorId: filter.actor }
        : { actorEmail: { contains: filter.actor, mode: "insensitive" } },
    );
  }
  if (filter.action) and.push(filter.action.endsWith(".") ? { action: { startsWith: filter.action } } : { action: filter.action });
  if (filter.targetType) and.push({ targetType: filter.targetType });
  if (filter.targetId) and.push({ targetId: filter.targetId });
  if (filter.from) and.push({ occurredAt: { gte: filter.from } });
  if (filter.to) and.push({ occurredAt: { lte: filter.to } });
  return and.length ? { AND: and } : {};
}

function view(row: {
  id: bigint;
  occurredAt: Date;
  actorId: string | null;
  actorEmail: string | null;
  action: string;
  targetType: string;
  targetId: string | null;
  before: Prisma.JsonValue;
  after: Prisma.JsonValue;
  prevHash: string;
  hash: string;
}): TAuditEventView {
  return { ...row, id: String(row.id) };
}

/** Newest first. */
export async function listAuditEvents(prisma: PrismaClient, input: TListAuditEventsRequest): Promise<TAuditPage> {
  const where = auditWhere(input);
  const [items, total] = await Promise.all([
    prisma.auditEvent.findMany({
      where,
      orderBy: { id: "desc" },
      skip: (input.page - 1) * input.pageSize,
      take: input.pageSize,
    }),
    prisma.auditEvent.count({ where }),
  ]);
  return { items: items.map(view), total, page: input.page, pageSize: input.pageSize };
}

/**
 * Every matching event in chain order (oldest first), read in pages by id so that an export
 * of millions of rows never holds more than one page in memory.
 */
export async function* streamAuditEvents(
  prisma: PrismaClient,
  filter: TAuditFilter,
  batchSize = 1000,
): AsyncGenerator<TAuditEventView> {
  const where = auditWhere(filter);
  let after: bigint | null = null;
  for (;;) {
    const page: Awaited<ReturnType<typeof prisma.auditEvent.findMany>> = await prisma.auditEvent.findMany({
      where: after === null ? where : { AND: [where, { id: { gt: after } }] },
      orderBy: { id: "asc" },
      take: batchSize,
    });
    for (const row of page) yield view(row);
    if (page.length < batchSize) return;
    after = page[page.length - 1]!.id;
  }
}

export const AUDIT_CSV_COLUMNS = [
  "id",
  "occurred_at",
  "actor_id",
  "actor_email",
  "action",
  "target_type",
  "target_id",
  "before",
  "after",
  "prev_hash",
  "hash",
] as const;

/** RFC 4180 field: quoted when it holds a comma, quote or line break; formulas neutralised. */
export function csvField(value: string): string {
  // A leading =, +, - or @ would be run as a formula by spreadsheet software.
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function auditCsvRow(e: TAuditEventView): string {
  const json = (v: unknown) => (v === null || v === undefined ? "" : JSON.stringify(v));
  return (
    [
      e.id,
      e.occurredAt.toISOString(),
      e.actorId ?? "",
      e.actorEmail ?? "",
      e.action,
      e.targetType,
      e.targetId ?? "",
      json(e.before),
      json(e.after),
      e.prevHash,
      e.hash,
    ]
      .map(csvField)
      .join(",") + "\r\n"
  );
}

export function auditNdjsonRow(e: TAuditEventView): string {
  return `${JSON.stringify({ ...e, occurredAt: e.occurredAt.toISOString() })}\n`;
}

/** The export as a stream of text chunks (CSV with a header row, or NDJSON). */
export function exportAuditEvents(prisma: PrismaClient, filter: TAuditFilter, format: "csv" | "ndjson"): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const rows = streamAuditEvents(prisma, filter);
  let started = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        if (!started && format === "csv") {
          started = true;
          controller.enqueue(encoder.encode(`${AUDIT_CSV_COLUMNS.join(",")}\r\n`));
          return;
        }
        started = true;
        let chunk = "";
        for (let i = 0; i < 200; i++) {
          const next = await rows.next();
          if (next.done) {
            if (chunk) controller.enqueue(encoder.encode(chunk));
            controller.close();
            return;
          }
          chunk += format === "csv" ? auditCsvRow(next.value) : auditNdjsonRow(next.value);
        }
        controller.enqueue(encoder.encode(chunk));
      } catch (error) {
        controller.error(error);
      }
    },
    async cancel() {
      await rows.return(undefined);
    },
  });
}

/** Distinct actions and target types seen so far, for the filter dropdowns. */
export async function auditFilterOptions(prisma: PrismaClient): Promise<{ actions: string[]; targetTypes: string[] }> {
  const [actions, targetTypes] = await Promise.all([
    prisma.auditEvent.findMany({ distinct: ["action"], select: { action: true }, orderBy: { action: "asc" } }),
    prisma.auditEvent.findMany({ distinct: ["targetType"], select: { targetType: true }, orderBy: { targetType: "asc" } }),
  ]);
  return { actions: actions.map((a) => a.action), targetTypes: targetTypes.map((t) => t.targetType) };
}
