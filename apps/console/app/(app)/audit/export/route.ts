import { appendAuditEvent, auditActorOf, auditSchemas, exportAuditEvents } from "@meridian/api";
import { getPrisma } from "@meridian/db";
import { can } from "@meridian/policy";
import { getCurrentUser } from "@/server/session";

/**
 * `GET /audit/export?format=csv|ndjson&actor=&action=&targetType=&targetId=&from=&to=`:
 * the filtered audit trail in chain order, streamed (never held in memory). The export is
 * itself recorded.
 */
export async function GET(request: Request): Promise<Response> {
  const user = await getCurrentUser();
  if (!user) return Response.json({ error: "Sign in first" }, { status: 401 });
  if (!can(user.roles, "audit.read")) return Response.json({ error: "Your roles do not allow audit.read" }, { status: 403 });
  const params = new URL(request.url).searchParams;
  const format = params.get("format") ?? "csv";
  if (format !== "csv" && format !== "ndjson")
    return Response.json({ error: "Invalid input", fieldErrors: { format: ["Format is csv or ndjson"] } }, { status: 400 });
  const raw: Record<string, string> = {};
  for (const key of ["actor", "action", "targetType", "targetId", "from", "to"]) {
    const v = params.get(key);
    if (v) raw[key] = v;
  }
  const parsed = auditSchemas.ZAuditFilterSchema.safeParse(raw);
  if (!parsed.success) {
    const fieldErrors: Record<string, string[]> = {};
    for (const issue of parsed.error.issues) (fieldErrors[issue.path.join(".") || "(input)"] ??= []).push(issue.message);
    return Response.json({ error: "Invalid input", fieldErrors }, { status: 400 });
  }
  const prisma = getPrisma();
  await appendAuditEvent(prisma, {
    actor: auditActorOf(user),
    action: "audit.exported",
    targetType: "auditChain",
    after: { format, filter: raw },
  });
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  return new Response(exportAuditEvents(prisma, parsed.data, format), {
    headers: {
      "content-type": format === "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8",
      "content-disposition": `attachment; filename="meridian-audit-${stamp}.${format}"`,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    },
  });
}
