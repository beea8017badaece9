"use client";

import { useSyncExternalStore } from "react";
import { formatRelativeTime, formatUtc } from "@/lib/format";

// One shared clock for every relative time on the page, ticking every 15 s.
let now = Date.now();
const listeners = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | undefined;

function subscribe(listener: () => void) {
  listeners.add(listener);
  if (!timer) {
    now = Date.now();
    timer = setInterval(() => {
      now = Date.now();
      for (const l of listeners) l();
    }, 15_000);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}

const getSnapshot = () => now;
// The server (and hydration) renders against the time of the request, not of module load.
const getServerSnapshot = () => Math.ceil(Date.now() / 1000) * 1000;

/** "3 min ago", with the absolute UTC time on hover and in the machine-readable attribute. */
export function RelativeTime({ date, className }: { date: Date | string; className?: string }) {
  const current = useSyncExternalStore(subscribe, getSnapshot, getServerSnapshot);
  const d = new Date(date);
  return (
    <time dateTime={d.toISOString()} title={formatUtc(d)} className={className} suppressHydrationWarning>
      {formatRelativeTime(d, current)}
    </time>
  );
}
