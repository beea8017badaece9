import { z } from "zod";

/**
 * Maintenance windows and change freezes. A WINDOW allows changes while it is open; a FREEZE
 * forbids them and wins over any window. A window or freeze belongs to one data center, or to
 * the whole fleet when its data center is null. Time is passed in.
 */
export const MAINTENANCE_WINDOW_KINDS = ["WINDOW", "FREEZE"] as const;
export type TMaintenanceWindowKind = (typeof MAINTENANCE_WINDOW_KINDS)[number];

export interface TMaintenanceWindow {
  id?: string;
  /** Null: fleet-wide. */
  dataCenterId: string | null;
  /** Code of the data center, for messages. */
  dataCenterCode?: string | null;
  kind: TMaintenanceWindowKind;
  reason?: string;
  startsAt: Date;
  endsAt: Date;
}

/** The form that creates a window or a freeze. */
export const ZMaintenanceWindowSchema = z
  .object({
    dataCenterId: z.guid({ error: "Data center must be an id (uuid)" }).nullable().default(null),
    kind: z.enum(MAINTENANCE_WINDOW_KINDS, { error: "Kind must be WINDOW or FREEZE" }),
    reason: z.string({ error: "Reason must be text" }).trim().max(500, "Reason is at most 500 characters").default(""),
    startsAt: z.coerce.date({ error: "Start must be a date and time" }),
    endsAt: z.coerce.date({ error: "End must be a date and time" }),
  })
  .refine((w) => w.endsAt.getTime() > w.startsAt.getTime(), {
    path: ["endsAt"],
    message: "End must be after the start",
  });
export type TMaintenanceWindowInput = z.input<typeof ZMaintenanceWindowSchema>;

export interface TScheduleScope {
  /**
   * Data centers the change touches. Windows of other data centers are ignored; fleet-wide
   * ones always apply. When omitted every window applies.
   */
  dataCenterIds?: readonly string[];
  /** The change may only run inside an open WINDOW (e.g. a T0 schema change that locks). */
  requireWindow?: boolean;
}

export interface TScheduleDecision {
  allowed: boolean;
  /** Why, in one sentence. */
  reason: string;
  /** The freeze that forbids the change now, if any. */
  freeze: TMaintenanceWindow | null;
  /** Open windows that cover the change now. */
  windows: TMaintenanceWindow[];
  /** The change runs inside an open window for every data center it touches. */
  inWindow: boolean;
}

function isOpenAt(w: TMaintenanceWindow, at: Date): boolean {
  return w.startsAt.getTime() <= at.getTime() && at.getTime() < w.endsAt.getTime();
}

function applies(w: TMaintenanceWindow, scope: TScheduleScope): boolean {
  return w.dataCenterId === null || scope.dataCenterIds === undefined || scope.dataCenterIds.includes(w.dataCenterId);
}

function where(w: TMaintenanceWindow): string {
  return w.dataCenterId === null ? "fleet-wide" : `in ${w.dataCenterCode ?? w.dataCenterId}`;
}

function label(w: TMaintenanceWindow): string {
  return w.reason ? ` "${w.reason}"` : "";
}

/** Are the windows open at `now` for every data center of the change (fleet-wide windows count for all)? */
function coveredByWindows(open: readonly TMaintenanceWindow[], scope: TScheduleScope): boolean {
  const windows = open.filter((w) => w.kind === "WINDOW");
  if (windows.some((w) => w.dataCenterId === null)) return true;
  if (scope.dataCenterIds === undefined) return windows.length > 0;
  if (scope.dataCenterIds.length === 0) return false;
  return scope.dataCenterIds.every((dc) => windows.some((w) => w.dataCenterId === dc));
}

export function isChangeAllowedAt(
  now: Date,
  windows: readonly TMaintenanceWindow[],
  scope: TScheduleScope = {},
): TScheduleDecision {
  const open = windows.filter((w) => applies(w, scope) && isOpenAt(w, now));
  const freeze =
    open
      .filter((w) => w.kind === "FREEZE")
      .sort((a, b) => b.endsAt.getTime() - a.endsAt.getTime())[0] ?? null;
  const openWindows = open.filter((w) => w.kind === "WINDOW");
  const inWindow = coveredByWindows(open, scope);
  if (freeze)
    return {
      allowed: false,
      reason: `Change freeze${label(freeze)} ${where(freeze)} until ${freeze.endsAt.toISOString()}`,
      freeze,
      windows: openWindows,
      inWindow,
    };
  if (scope.requireWindow && !inWindow)
    return {
      allowed: false,
      reason: "This change may only run inside a maintenance window, and none is open now",
      freeze: null,
      windows: openWindows,
      inWindow,
    };
  return {
    allowed: true,
    reason: inWindow ? "Inside a maintenance window" : "No change freeze applies",
    freeze: null,
    windows: openWindows,
    inWindow,
  };
}

/**
 * The earliest moment at or after `from` (and before `until`, when given) at which the change
 * is allowed; null when none. Only window boundaries can change the answer, so only they are
 * tried: no loop over time.
 */
export function nextAllowedAt(
  from: Date,
  windows: readonly TMaintenanceWindow[],
  scope: TScheduleScope = {},
  until?: Date,
): Date | null {
  const candidates = [
    from.getTime(),
    ...windows
      .filter((w) => applies(w, scope))
      .flatMap((w) => [w.startsAt.getTime(), w.endsAt.getTime()])
      .filter((t) => t > from.getTime()),
  ]
    .filter((t) => until === undefined || t < until.getTime())
    .sort((a, b) => a - b);
  for (const t of new Set(candidates)) if (isChangeAllowedAt(new Date(t), windows, scope).allowed) return new Date(t);
  return null;
}

/** Freezes that overlap a requested window [start, end) for the change's data centers. */
export function freezesOverlapping(
  start: Date,
  end: Date,
  windows: readonly TMaintenanceWindow[],
  scope: Pick<TScheduleScope, "dataCenterIds"> = {},
): TMaintenanceWindow[] {
  return windows.filter(
    (w) =>
      w.kind === "FREEZE" &&
      applies(w, scope) &&
      w.startsAt.getTime() < end.getTime() &&
      start.getTime() < w.endsAt.getTime(),
  );
}
