import { HEALTH_HEX } from "@/features/map/encodings";
import { type THealth } from "@/components/ui/health";

/** Chart colours: health from the map's encoding; other series from a colour-blind-safe set. */
export function healthColor(h: THealth, dark: boolean): string {
  return dark ? HEALTH_HEX[h].dark : HEALTH_HEX[h].light;
}

export function axisColor(dark: boolean): string {
  return dark ? "#a1a1aa" : "#52525b";
}

export function gridColor(dark: boolean): string {
  return dark ? "#3f3f46" : "#e4e4e7";
}

/** Okabe-Ito palette (colour-blind safe), for series that are not health. */
export const SERIES = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"] as const;

export function seriesColor(i: number, dark: boolean): string {
  const c = SERIES[i % SERIES.length]!;
  return dark && c === "#000000" ? "#e4e4e7" : c;
}

/** Axis label for a bucket: "12 Dec 14:00" per hour, "12 Dec" per day (UTC). */
export function bucketLabel(at: Date | string, grain: "hour" | "day"): string {
  const d = new Date(at);
  const day = d.toLocaleDateString("en-GB", { day: "2-digit", month: "short", timeZone: "UTC" });
  if (grain === "day") return day;
  return `${day} ${String(d.getUTCHours()).padStart(2, "0")}:00`;
}

export function isoUtc(at: Date | string): string {
  return new Date(at).toISOString();
}
