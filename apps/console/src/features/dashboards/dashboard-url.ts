/**
 * The dashboards' URL: `?range=30d&team=payments&region=eu-west`, or a custom range
 * `?range=custom&from=2026-10-01&to=2026-10-15` (UTC days, `to` inclusive). Parsing is
 * forgiving: a hand-edited URL with a bad value falls back to the default rather than failing.
 */
export const RANGES = ["24h", "7d", "30d", "90d", "custom"] as const;
export type TRange = (typeof RANGES)[number];

export const RANGE_LABELS: Record<TRange, string> = {
  "24h": "24 h",
  "7d": "7 days",
  "30d": "30 days",
  "90d": "90 days",
  custom: "Custom",
};

export interface TDashboardUrlState {
  range: TRange;
  /** YYYY-MM-DD (UTC), custom range only. */
  from?: string;
  to?: string;
  team?: string;
  region?: string;
}

/** What the API takes. */
export interface TDashboardQuery {
  range: TRange;
  from?: Date;
  to?: Date;
  team?: string;
  region?: string;
}

type TGet = (key: string) => string | null | undefined;

const CODE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const DEFAULT_RANGE: TRange = "7d";

function day(value: string | null | undefined): string | undefined {
  const v = value?.trim();
  if (!v || !DAY.test(v)) return undefined;
  return Number.isNaN(new Date(`${v}T00:00:00Z`).getTime()) ? undefined : v;
}

export function parseDashboardUrl(get: TGet): TDashboardUrlState {
  const raw = get("range")?.trim();
  const range = (RANGES as readonly string[]).includes(raw ?? "") ? (raw as TRange) : DEFAULT_RANGE;
  const state: TDashboardUrlState = { range };
  if (range === "custom") {
    const from = day(get("from"));
    const to = day(get("to"));
    if (from && to && from <= to) {
      state.from = from;
      state.to = to;
    } else state.range = DEFAULT_RANGE;
  }
  const team = get("team")?.trim();
  if (team && CODE.test(team)) state.team = team;
  const region = get("region")?.trim();
  if (region && CODE.test(region)) state.region = region;
  return state;
}

export function getterOf(params: Record<string, string | string[] | undefined>): TGet {
  return (key) => {
    const v = params[key];
    return Array.isArray(v) ? v[0] : v;
  };
}

export function dashboardQueryString(state: TDashboardUrlState): string {
  const q = new URLSearchParams();
  if (state.range !== DEFAULT_RANGE) q.set("range", state.range);
  if (state.range === "custom" && state.from && state.to) {
    q.set("from", state.from);
    q.set("to", state.to);
  }
  if (state.team) q.set("team", state.team);
  if (state.region) q.set("region", state.region);
  return q.toString();
}

/** The API input for a URL state; a custom `to` day is inclusive (up to its end). */
export function dashboardQuery(state: TDashboardUrlState): TDashboardQuery {
  const q: TDashboardQuery = { range: state.range };
  if (state.range === "custom" && state.from && state.to) {
    q.from = new Date(`${state.from}T00:00:00Z`);
    q.to = new Date(new Date(`${state.to}T00:00:00Z`).getTime() + 86_400_000);
  }
  if (state.team) q.team = state.team;
  if (state.region) q.region = state.region;
  return q;
}

/** A short name for file names and titles: "7d", "2026-10-01_2026-10-15". */
export function rangeSlug(state: TDashboardUrlState): string {
  return state.range === "custom" && state.from && state.to ? `${state.from}_${state.to}` : state.range;
}
