"use client";

import { skipToken, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useId, useRef, useState, type KeyboardEvent } from "react";
import { HealthIcon } from "@/components/ui/health";
import { cn } from "@/lib/cn";
import { formatCount } from "@/lib/format";
import { useTRPC } from "@/lib/trpc/react";

const LIMIT = 5;

interface TOption {
  id: string;
  href: string;
  group: "Data centers" | "Clusters" | "Instances";
  primary: string;
  secondary: string;
  health?: "UP" | "DEGRADED" | "DOWN" | "UNKNOWN";
}

/**
 * The top bar's search: data centers (code, name, city), clusters (name, team) and instances
 * (name, endpoint), through the inventory list procedures (one batched request). A combobox:
 * arrows move, Enter opens, Escape closes; "/" focuses it from anywhere.
 */
export function GlobalSearch() {
  const trpc = useTRPC();
  const router = useRouter();
  const listId = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const [text, setText] = useState("");
  const [term, setTerm] = useState("");
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);

  // Debounce: query 200 ms after the last keystroke.
  useEffect(() => {
    const trimmed = text.trim();
    const t = setTimeout(() => setTerm(trimmed.length >= 2 ? trimmed : ""), 200);
    return () => clearTimeout(t);
  }, [text]);

  // "/" focuses the search unless the user is typing somewhere else.
  useEffect(() => {
    function onKey(e: globalThis.KeyboardEvent) {
      if (e.key !== "/" || e.metaKey || e.ctrlKey || e.altKey) return;
      const target = e.target as HTMLElement | null;
      if (target && (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName))) return;
      e.preventDefault();
      inputRef.current?.focus();
    }
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, []);

  const enabled = term.length >= 2;
  const opts = { staleTime: 10_000 };
  const dcs = useQuery(
    trpc.inventory.listDataCenters.queryOptions(enabled ? { q: term, pageSize: LIMIT, sort: "code" } : skipToken, opts),
  );
  const clusters = useQuery(
    trpc.inventory.listClusters.queryOptions(enabled ? { q: term, pageSize: LIMIT, sort: "name" } : skipToken, opts),
  );
  const instances = useQuery(
    trpc.inventory.listInstances.queryOptions(enabled ? { q: term, pageSize: LIMIT, sort: "name" } : skipToken, opts),
  );

  const options: TOption[] = [
    ...(dcs.data?.items ?? []).map<TOption>((d) => ({
      id: `dc-${d.id}`,
      href: `/inventory/data-centers/${encodeURIComponent(d.code)}`,
      group: "Data centers",
      primary: `${d.code} · ${d.name}`,
      secondary: `${d.city}, ${d.country} · ${d.jurisdictionCode}`,
      health: d.health,
    })),
    ...(clusters.data?.items ?? []).map<TOption>((c) => ({
      id: `cl-${c.id}`,
      href: `/inventory/clusters/${encodeURIComponent(c.name)}`,
      group: "Clusters",
      primary: c.name,
      secondary: `${c.teamName} · ${c.engine.toLowerCase()} · ${c.tier}`,
      health: c.health,
    })),
    ...(instances.data?.items ?? []).map<TOption>((i) => ({
      id: `in-${i.id}`,
      href: `/inventory/instances/${encodeURIComponent(i.name)}`,
      group: "Instances",
      primary: i.name,
      secondary: `${i.role.toLowerCase()} · ${i.dataCenterCode}`,
      health: i.health,
    })),
  ];

  const groups = [
    { name: "Data centers" as const, total: dcs.data?.total ?? 0, all: `/inventory/data-centers?q=${encodeURIComponent(term)}` },
    { name: "Clusters" as const, total: clusters.data?.total ?? 0, all: `/inventory/clusters?q=${encodeURIComponent(term)}` },
    { name: "Instances" as const, total: instances.data?.total ?? 0, all: `/inventory/instances?q=${encodeURIComponent(term)}` },
  ];

  const loading = enabled && (dcs.isFetching || clusters.isFetching || instances.isFetching);
  const failed = dcs.isError || clusters.isError || instances.isError;
  const showPanel = open && text.trim().length >= 2;
  const activeOption = active >= 0 ? options[active] : undefined;

  function go(href: string) {
    setOpen(false);
    setText("");
    setTerm("");
    setActive(-1);
    inputRef.current?.blur();
    router.push(href);
  }

  function onKeyDown(e: KeyboardEvent<HTMLInputElement>) {
    if (e.key === "ArrowDown") {
      e.preventDefault();
      setOpen(true);
      setActive((a) => (options.length === 0 ? -1 : (a + 1) % options.length));
    } else if (e.key === "ArrowUp") {
      e.preventDefault();
      setActive((a) => (options.length === 0 ? -1 : a <= 0 ? options.length - 1 : a - 1));
    } else if (e.key === "Enter") {
      e.preventDefault();
      if (activeOption) go(activeOption.href);
      else if (options.length === 1 && options[0]) go(options[0].href);
      else if (text.trim().length >= 2) go(`/inventory/instances?q=${encodeURIComponent(text.trim())}`);
    } else if (e.key === "Escape") {
      if (open) {
        e.preventDefault();
        setOpen(false);
        setActive(-1);
      } else {
        setText("");
      }
    }
  }

  return (
    <div className="relative w-full max-w-md">
      <label htmlFor={`${listId}-input`} className="sr-only">
        Search data centers, clusters and instances
      </label>
      <div className="relative">
        <svg
          viewBox="0 0 20 20"
          className="pointer-events-none absolute left-2.5 top-1/2 size-4 -translate-y-1/2 text-zinc-400"
          fill="none"
          stroke="currentColor"
          strokeWidth="1.75"
          aria-hidden="true"
        >
          <circle cx="8.5" cy="8.5" r="5.25" />
          <path d="m12.5 12.5 4 4" strokeLinecap="round" />
        </svg>
        <input
          ref={inputRef}
          id={`${listId}-input`}
          type="search"
          role="combobox"
          aria-expanded={showPanel}
          aria-controls={`${listId}-list`}
          aria-autocomplete="list"
          aria-activedescendant={showPanel && activeOption ? `${listId}-${activeOption.id}` : undefined}
          autoComplete="off"
          spellCheck={false}
          placeholder="Search data centers, clusters, instances…"
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            setOpen(true);
            setActive(-1);
          }}
          onFocus={() => setOpen(true)}
          onBlur={() => setTimeout(() => setOpen(false), 150)}
          onKeyDown={onKeyDown}
          className="h-8 w-full rounded-md border border-zinc-300 bg-zinc-50 pl-8 pr-10 text-sm text-zinc-900 placeholder:text-zinc-500 focus:bg-white focus-visible:border-sky-500 focus-visible:outline-2 focus-visible:outline-sky-500/40 dark:border-zinc-700 dark:bg-zinc-800 dark:text-zinc-100 dark:placeholder:text-zinc-400 dark:focus:bg-zinc-900"
        />
        <kbd className="pointer-events-none absolute right-2 top-1/2 hidden -translate-y-1/2 rounded border border-zinc-300 px-1 font-mono text-[10px] text-zinc-500 sm:block dark:border-zinc-600 dark:text-zinc-400">
          /
        </kbd>
      </div>
      {showPanel ? (
        <div className="absolute left-0 right-0 top-full z-50 mt-1 max-h-[70vh] overflow-auto rounded-md border border-zinc-200 bg-white py-1 shadow-lg dark:border-zinc-700 dark:bg-zinc-900">
          <ul id={`${listId}-list`} role="listbox" aria-label="Search results" data-testid="search-results">
            {groups.map((g) => {
              const items = options.filter((o) => o.group === g.name);
              if (items.length === 0) return null;
              return (
                <li key={g.name} role="presentation">
                  <div role="presentation" className="flex items-center justify-between px-3 pb-1 pt-2 text-[11px] font-medium uppercase tracking-wide text-zinc-500 dark:text-zinc-400">
                    <span>{g.name}</span>
                    {g.total > items.length ? (
                      <Link
                        href={g.all}
                        tabIndex={-1}
                        onMouseDown={(e) => e.preventDefault()}
                        onClick={() => setOpen(false)}
                        className="normal-case tracking-normal text-sky-700 hover:underline dark:text-sky-400"
                      >
                        All {formatCount(g.total)}
                      </Link>
                    ) : null}
                  </div>
                  <ul role="group" aria-label={g.name}>
                    {items.map((o) => {
                      const index = options.indexOf(o);
                      return (
                        <li
                          key={o.id}
                          id={`${listId}-${o.id}`}
                          role="option"
                          aria-selected={index === active}
                          onMouseDown={(e) => e.preventDefault()}
                          onClick={() => go(o.href)}
                          onMouseEnter={() => setActive(index)}
                          className={cn(
                            "flex cursor-pointer items-center gap-2 px-3 py-1.5 text-sm",
                            index === active ? "bg-sky-50 dark:bg-sky-950" : "",
                          )}
                        >
                          {o.health ? <HealthIcon health={o.health} /> : null}
                          <span className="truncate font-medium text-zinc-900 dark:text-zinc-100">{o.primary}</span>
                          <span className="ml-auto truncate pl-2 text-xs text-zinc-500 dark:text-zinc-400">{o.secondary}</span>
                        </li>
                      );
                    })}
                  </ul>
                </li>
              );
            })}
          </ul>
          <p className="px-3 py-2 text-xs text-zinc-500 dark:text-zinc-400" aria-live="polite">
            {failed
              ? "Search failed. Try again in a moment."
              : loading && options.length === 0
                ? "Searching…"
                : !loading && options.length === 0 && term
                  ? `Nothing matches “${term}”. Search looks at codes, names, cities, teams and endpoints.`
                  : options.length > 0
                    ? "↑↓ to move, Enter to open, Esc to close"
                    : "Keep typing…"}
          </p>
        </div>
      ) : null}
    </div>
  );
}
