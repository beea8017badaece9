import { env } from "@meridian/db";
import { CHANGE_STATUS_LABELS } from "@meridian/policy";
import { sqlLiteral } from "./sql-text";

/**
 * Change request events written by the engine, in the same shape as the API writes them when a
 * person moves a request (packages/api `recordChangeEvent`): an audit event on the change request
 * (`changeRequest.started` / `.succeeded` / `.failed` / `.rolledBack`, target `changeRequest`,
 * before `{status}`, after `{number, from, to, ...}`) and a webhook row in the outbox
 * (`change_request.running` ..., payload `{event, text, occurredAt, data: {changeRequest, actor}}`),
 * so that a team's chat hears when its change finished. Written as SQL CTEs inside the statement
 * that moves the request, so the move, its audit event and its webhook commit together. The
 * audit table's trigger assigns id, time and the hash chain.
 */

/** Audit action per status the engine moves a request to. */
export const ENGINE_CHANGE_ACTIONS = {
  RUNNING: "changeRequest.started",
  SUCCEEDED: "changeRequest.succeeded",
  FAILED: "changeRequest.failed",
  ROLLED_BACK: "changeRequest.rolledBack",
} as const;

/** Who the webhook text names. */
export const ENGINE_ACTOR_NAME = "Meridian engine";

/** The console's address of change requests, as the API builds it (`NEXTAUTH_URL`, else localhost:PORT). */
export function changeRequestBaseUrl(): string {
  const e = env();
  return (e.NEXTAUTH_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, "");
}

const ISO_NOW = `to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * Two CTEs (`<name>_audit`, `<name>_webhook`), to put in a WITH list after `moves`: a relation
 * with columns `request_id uuid, from_status text, to_status text, note text, execution_id
 * text, attempt int` (one row per request the statement moved).
 */
export function changeEventCtes(name: string, moves: string, actorEmail: string): string {
  const labels = sqlLiteral(JSON.stringify(Object.fromEntries(Object.entries(CHANGE_STATUS_LABELS).map(([k, v]) => [k, v.toLowerCase()]))));
  const actions = sqlLiteral(JSON.stringify(ENGINE_CHANGE_ACTIONS));
  const base = sqlLiteral(changeRequestBaseUrl());
  const actor = sqlLiteral(actorEmail);
  const url = `(${base} || '/changes/' || r.number)`;
  return `${name}_audit AS (
       INSERT INTO audit_event (actor_id, actor_email, action, target_type, target_id, before, after, prev_hash, hash)
       SELECT NULL, ${actor}, COALESCE(${actions}::jsonb ->> m.to_status, 'changeRequest.' || lower(m.to_status)), 'changeRequest', r.id::text,
              jsonb_build_object('status', m.from_status),
              jsonb_strip_nulls(jsonb_build_object('number', r.number, 'from', m.from_status, 'to', m.to_status,
                                 'executionId', m.execution_id, 'attempt', m.attempt, 'error', m.note)),
              '', ''
         FROM ${moves} m JOIN change_request r ON r.id = m.request_id
       RETURNING 1
     ), ${name}_webhook AS (
       INSERT INTO webhook_outbox (id, event, payload, next_attempt_at)
       SELECT gen_random_uuid(), 'change_request.' || lower(m.to_status),
              jsonb_build_object(
                'event', 'change_request.' || lower(m.to_status),
                'text', 'CR-' || r.number || ' ' || r.title || ': ' || (${labels}::jsonb ->> m.from_status) || ' → '
                        || (${labels}::jsonb ->> m.to_status) || ' (by ${ENGINE_ACTOR_NAME})'
                        || CASE WHEN m.note IS NULL OR m.note = '' THEN '' ELSE ': ' || m.note END || ' ' || ${url},
                'occurredAt', ${ISO_NOW},
                'data', jsonb_build_object(
                  'changeRequest', jsonb_build_object('id', r.id, 'number', r.number, 'title', r.title, 'kind', r.kind::text,
                                                      'risk', r.risk_level::text, 'from', m.from_status, 'status', m.to_status, 'url', ${url}),
                  'actor', jsonb_build_object('id', NULL, 'email', ${actor}),
                  'execution', jsonb_build_object('id', m.execution_id, 'attempt', m.attempt))),
              now()
         FROM ${moves} m JOIN change_request r ON r.id = m.request_id
       RETURNING 1
     )`;
}
