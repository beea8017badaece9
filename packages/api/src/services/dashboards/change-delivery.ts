import { Prisma, type PrismaClient } from "@meridian/db";
import {
  CHANGE_KINDS,
  changeFailureRate,
  changeOutcome,
  leadTimes,
  weeklyCounts,
  type TChangeFailureRate,
  type TChangeKind,
  type TChangeOutcome,
  type TLeadTimes,
} from "@meridian/policy";
import { type TDashboardFilter } from "../../routers/dashboards/dashboard.schema";
import { cachedDashboard, dashboardCacheKey } from "./result-cache";
import { resolveWindow, type TDashboardWindow } from "./window";

export const CHANGE_OUTCOMES: readonly TChangeOutcome[] = ["SUCCEEDED", "FAILED", "ROLLED_BACK", "REJECTED", "CANCELLED", "BLOCKED", "OPEN"];

export interface TChangeWeek {
  weekStart: Date;
  byOutcome: Record<TChangeOutcome, number>;
  byKind: Record<TChangeKind, number>;
  total: number;
}

export interface TTeamDelivery {
  teamSlug: string;
  teamName: string;
  filed: number;
  failureRate: TChangeFailureRate;
  leadTimeP50: number | null;
  waiting: number;
  /** Seconds the oldest waiting request has waited. */
  oldestWaitingSeconds: number | null;
}

export interface TWaitingApproval {
  number: number;
  title: string;
  kind: TChangeKind;
  teamSlug: string | null;
  submittedAt: Date;
  ageSeconds: number;
}

export interface TChangeDelivery {
  window: TDashboardWindow;
  weeks: TChangeWeek[];
  leadTimes: TLeadTimes;
  failureRate: TChangeFailureRate;
  byTeam: TTeamDelivery[];
  waiting: TWaitingApproval[];
  filed: number;
  generatedAt: Date;
}

interface TRequestRow {
  kind: TChangeKind;
  status: string;
  createdAt: Date;
  submittedAt: Date | null;
  decidedAt: Date | null;
  doneAt: Date | null;
  teamSlug: string | null;
  teamName: string | null;
}

interface TWaitingRow {
  number: number;
  title: string;
  kind: TChangeKind;
  teamSlug: string | null;
  submittedAt: Date;
}

/** The team condition: the request's cluster belongs to the team (or the team owns it). */
function teamScope(filter: TDashboardFilter): Prisma.Sql {
  return filter.team
    ? Prisma.sql`AND (t.slug = ${filter.team} OR (SELECT id FROM team WHERE slug = ${filter.team}) = ANY(cr.owner_team_ids))`
    : Prisma.empty;
}

/** Requests filed in the window (created_at), with their milestones. */
export function changeRequestsSql(filter: TDashboardFilter, w: TDashboardWindow): Prisma.Sql {
  return Prisma.sql`
    SELECT cr.kind::text AS "kind", cr.status::text AS "status", cr.created_at AS "createdAt",
           cr.submitted_at AS "submittedAt",
           CASE WHEN cr.status IN ('APPROVED','SCHEDULED','RUNNING','SUCCEEDED','FAILED','ROLLED_BACK') THEN cr.decided_at END AS "decidedAt",
           CASE WHEN cr.status IN ('SUCCEEDED','FAILED','ROLLED_BACK') THEN x.done_at END AS "doneAt",
           t.slug AS "teamSlug", t.name AS "teamName"
      FROM change_request cr
      LEFT JOIN cluster c ON c.id = cr.cluster_id
      LEFT JOIN team t ON t.id = c.team_id
      LEFT JOIN LATERAL (SELECT max(e.finished_at) AS done_at FROM execution e WHERE e.request_id = cr.id) x ON TRUE
     WHERE cr.created_at >= ${w.from} AND cr.created_at < ${w.to} AND cr.status <> 'DRAFT' ${teamScope(filter)}`;
}

/** Requests waiting for approval now, oldest first (not bound to the window). */
export function waitingApprovalsSql(filter: TDashboardFilter): Prisma.Sql {
  return Prisma.sql`
    SELECT cr.number AS "number", cr.title AS "title", cr.kind::text AS "kind", t.slug AS "teamSlug",
           COALESCE(cr.submitted_at, cr.created_at) AS "submittedAt"
      FROM change_request cr
      LEFT JOIN cluster c ON c.id = cr.cluster_id
      LEFT JOIN team t ON t.id = c.team_id
     WHERE cr.status = 'PENDING_APPROVAL' ${teamScope(filter)}
     ORDER BY COALESCE(cr.submitted_at, cr.created_at), cr.number
     LIMIT 200`;
}

const milestones = (r: TRequestRow) => ({ filedAt: r.submittedAt, approvedAt: r.decidedAt, doneAt: r.doneAt });

/** Change delivery (DORA view). Region filters do not apply: a change is a team's, not a place's. */
/** Cached for a few seconds per filter (result-cache.ts); pass `now` to compute afresh at that time. */
export function getChangeDelivery(prisma: PrismaClient, filter: TDashboardFilter, now?: Date): Promise<TChangeDelivery> {
  if (now) return computeChangeDelivery(prisma, filter, now);
  return cachedDashboard(prisma, dashboardCacheKey("changeDelivery", filter), () => computeChangeDelivery(prisma, filter, new Date()));
}

export async function computeChangeDelivery(prisma: PrismaClient, filter: TDashboardFilter, now: Date): Promise<TChangeDelivery> {
  const w = resolveWindow(filter, now);
  const [rows, waitingRows] = await Promise.all([
    prisma.$queryRaw<TRequestRow[]>(changeRequestsSql(filter, w)),
    prisma.$queryRaw<TWaitingRow[]>(waitingApprovalsSql(filter)),
  ]);

  const outcomes = weeklyCounts(rows.map((r) => ({ at: r.createdAt, key: changeOutcome(r.status) })), CHANGE_OUTCOMES, w.from, w.to);
  const kinds = weeklyCounts(rows.map((r) => ({ at: r.createdAt, key: r.kind })), CHANGE_KINDS, w.from, w.to);
  const weeks: TChangeWeek[] = outcomes.map((o, i) => ({
    weekStart: o.weekStart,
    byOutcome: o.counts,
    byKind: kinds[i]!.counts,
    total: o.total,
  }));

  const waiting: TWaitingApproval[] = waitingRows.map((r) => ({
    ...r,
    ageSeconds: Math.max(0, Math.round((now.getTime() - new Date(r.submittedAt).getTime()) / 1000)),
  }));

  const teams = new Map<string, { name: string; rows: TRequestRow[] }>();
  for (const r of rows) {
    const slug = r.teamSlug ?? "(none)";
    const g = teams.get(slug) ?? { name: r.teamName ?? "No team", rows: [] };
    g.rows.push(r);
    teams.set(slug, g);
  }
  for (const wr of waiting) {
    const slug = wr.teamSlug ?? "(none)";
    if (!teams.has(slug)) teams.set(slug, { name: slug === "(none)" ? "No team" : slug, rows: [] });
  }
  const byTeam: TTeamDelivery[] = [...teams.entries()]
    .map(([slug, g]) => {
      const mine = waiting.filter((x) => (x.teamSlug ?? "(none)") === slug);
      return {
        teamSlug: slug,
        teamName: g.name,
        filed: g.rows.length,
        failureRate: changeFailureRate(g.rows.map((r) => r.status)),
        leadTimeP50: leadTimes(g.rows.map(milestones)).filedToDone.p50,
        waiting: mine.length,
        oldestWaitingSeconds: mine.length ? Math.max(...mine.map((x) => x.ageSeconds)) : null,
      };
    })
    .sort((a, b) => b.filed - a.filed || a.teamSlug.localeCompare(b.teamSlug));

  return {
    window: w,
    weeks,
    leadTimes: leadTimes(rows.map(milestones)),
    failureRate: changeFailureRate(rows.map((r) => r.status)),
    byTeam,
    waiting: waiting.slice(0, 50),
    filed: rows.length,
    generatedAt: now,
  };
}
