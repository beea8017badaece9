"use client";

import { useCallback, useSyncExternalStore } from "react";

const listeners = new Set<() => void>();
const storageKey = (name: string) => `meridian.legend.${name}`;

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/**
 * Whether a legend is open: open by default, remembered per view in localStorage once the
 * user folds it (legends cover part of the canvas).
 */
export function useLegendOpen(name: string): [boolean, (open: boolean) => void] {
  const open = useSyncExternalStore(
    subscribe,
    () => {
      try {
        return window.localStorage.getItem(storageKey(name)) !== "closed";
      } catch {
        return true;
      }
    },
    () => true,
  );
  const setOpen = useCallback(
    (next: boolean) => {
      try {
        if (next) window.localStorage.removeItem(storageKey(name));
        else window.localStorage.setItem(storageKey(name), "closed");
      } catch {
        // Storage unavailable (private mode): the legend just does not remember.
      }
      for (const l of listeners) l();
    },
    [name],
  );
  return [open, setOpen];
}
