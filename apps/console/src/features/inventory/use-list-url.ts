"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, useTransition } from "react";

export type TParamPatch = Record<string, string | number | null | undefined>;

/**
 * A list's filters, sort and page live in the URL so a view can be shared. `update` navigates
 * (the server page re-reads the URL and prefetches); anything but a page change goes back to
 * page 1. `isPending` is true until the new page has arrived.
 */
export function useListUrl() {
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const [isPending, startTransition] = useTransition();

  const hrefWith = useCallback(
    (patch: TParamPatch) => {
      const next = new URLSearchParams(searchParams.toString());
      for (const [key, value] of Object.entries(patch)) {
        if (value === null || value === undefined || value === "") next.delete(key);
        else next.set(key, String(value));
      }
      if (!("page" in patch)) next.delete("page");
      if (next.get("page") === "1") next.delete("page");
      const query = next.toString();
      return query ? `${pathname}?${query}` : pathname;
    },
    [pathname, searchParams],
  );

  const update = useCallback(
    (patch: TParamPatch, options: { replace?: boolean } = {}) => {
      const href = hrefWith(patch);
      startTransition(() => {
        if (options.replace) router.replace(href, { scroll: false });
        else router.push(href, { scroll: false });
      });
    },
    [hrefWith, router],
  );

  const clear = useCallback(
    (keep: readonly string[] = ["sort", "order", "pageSize"]) => {
      const next = new URLSearchParams();
      for (const key of keep) {
        const v = searchParams.get(key);
        if (v) next.set(key, v);
      }
      const query = next.toString();
      startTransition(() => router.push(query ? `${pathname}?${query}` : pathname, { scroll: false }));
    },
    [pathname, router, searchParams],
  );

  return { update, hrefWith, clear, isPending };
}
