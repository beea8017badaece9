/**
 * Formatting of numbers and time for the console, per the visual language (docs: ui.md):
 * lag "1.2 s" under a minute then "3 m 10 s"; bytes in binary units "14.2 MiB"; relative
 * times "3 min ago" with the absolute UTC time on hover. Pure functions: `now` is injected.
 */

const EM_DASH = "—";

/** Lag or any duration given in seconds: "0.4 s", "59.9 s", "3 m 10 s", "2 h 5 m", "3 d 4 h". */
export function formatLag(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return EM_DASH;
  const s = Math.max(0, seconds);
  // Round first, so 59.96 s reads "1 m 0 s" rather than "60.0 s".
  if (Math.round(s * 10) / 10 < 60) return `${(Math.round(s * 10) / 10).toFixed(1)} s`;
  const whole = Math.round(s);
  const days = Math.floor(whole / 86_400);
  const hours = Math.floor((whole % 86_400) / 3_600);
  const minutes = Math.floor((whole % 3_600) / 60);
  const secs = whole % 60;
  if (days > 0) return `${days} d ${hours} h`;
  if (hours > 0) return `${hours} h ${minutes} m`;
  return `${minutes} m ${secs} s`;
}

/** A target such as an RPO or RTO, without zero parts: "30 s", "5 m", "1 m 30 s", "4 h", "1 d". */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return EM_DASH;
  const whole = Math.max(0, Math.round(seconds));
  if (whole < 60) return seconds < 10 && !Number.isInteger(seconds) ? `${seconds.toFixed(1)} s` : `${whole} s`;
  const parts: string[] = [];
  const days = Math.floor(whole / 86_400);
  const hours = Math.floor((whole % 86_400) / 3_600);
  const minutes = Math.floor((whole % 3_600) / 60);
  const secs = whole % 60;
  if (days) parts.push(`${days} d`);
  if (hours) parts.push(`${hours} h`);
  if (minutes) parts.push(`${minutes} m`);
  if (secs && !days) parts.push(`${secs} s`);
  return parts.slice(0, 2).join(" ");
}

const BYTE_UNITS = ["KiB", "MiB", "GiB", "TiB", "PiB", "EiB"] as const;

/** Bytes in binary units with one decimal: "0 B", "512 B", "1.0 KiB", "14.2 MiB". */
export function formatBytes(bytes: number | bigint | null | undefined): string {
  if (bytes === null || bytes === undefined) return EM_DASH;
  const n = typeof bytes === "bigint" ? Number(bytes) : bytes;
  if (!Number.isFinite(n)) return EM_DASH;
  const abs = Math.abs(n);
  if (abs < 1024) return `${Math.round(n)} B`;
  let value = abs;
  let unit = 0;
  value /= 1024;
  while (value >= 1023.95 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${n < 0 ? "-" : ""}${value.toFixed(1)} ${BYTE_UNITS[unit]}`;
}

const COUNT = new Intl.NumberFormat("en-US");

/** Counts with thousands separators: "12,480". */
export function formatCount(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return EM_DASH;
  return COUNT.format(n);
}

/** A 0..1 ratio as a whole percentage: "63%"; "<1%" for tiny non-zero values. */
export function formatPercent(ratio: number | null | undefined): string {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return EM_DASH;
  const pct = ratio * 100;
  if (pct > 0 && pct < 1) return "<1%";
  return `${Math.round(pct)}%`;
}

function pad(n: number): string {
  return String(n).padStart(2, "0");
}

/** Absolute time in UTC, for hovers and exports: "2026-11-29 01:22:36 UTC". */
export function formatUtc(date: Date | string | number): string {
  const d = new Date(date);
  if (Number.isNaN(d.getTime())) return EM_DASH;
  return (
    `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} UTC`
  );
}

/** Relative to `now`: "just now", "42 s ago", "3 min ago", "5 h ago", "2 d ago", "in 3 min". */
export function formatRelativeTime(date: Date | string | number, now: Date | number): string {
  const then = new Date(date).getTime();
  const reference = typeof now === "number" ? now : now.getTime();
  if (Number.isNaN(then)) return EM_DASH;
  const diff = Math.round((reference - then) / 1000);
  const future = diff < 0;
  const s = Math.abs(diff);
  if (s < 5) return "just now";
  let text: string;
  if (s < 60) text = `${s} s`;
  else if (s < 3_600) text = `${Math.floor(s / 60)} min`;
  else if (s < 86_400) text = `${Math.floor(s / 3_600)} h`;
  else if (s < 86_400 * 60) text = `${Math.floor(s / 86_400)} d`;
  else return formatUtc(then).slice(0, 10);
  return future ? `in ${text}` : `${text} ago`;
}
