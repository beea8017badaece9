"use client";

import { keepPreviousData, skipToken, useQuery } from "@tanstack/react-query";
import { useEffect, useId, useRef, useState, type KeyboardEvent } from "react";
import { HealthIcon } from "@/components/ui/health";
import { cn } from "@/lib/cn";
import { useTRPC } from "@/lib/trpc/react";
import { type TSearchHit } from "./types";

const KIND_LABEL = { dataCenter: "Data center", cluster: "Cluster", instance: "Instance" } as const;

/**
 * Find a cluster, instance or data center and focus it in the graph: a combobox (arrows,
 * Enter, Escape) over `topology.search`.
 */
export function TopologySearch({ onPick }: { onPick: (hit: TSearchHit) => void }) {
  const trpc = useTRPC();
  const id = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const [text, setText] = useState("");
  const [term, setTerm] = useState("");
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);

  useEffect(() => {
    const t = setTimeout(() => setTerm(text.trim()), 150);
    return () => clearTimeout(t);
  }, [text]);

  const result = useQuery({
    ...trpc.topology.search.queryOptions(term.length >= 1 ? { q: term, limit: 5 } : skipToken),
    placeholderData: keepPreviousData,
    staleTime: 10_000,
  });
  const hits = term ? (result.data?.hits ?? []) : [];
  const show = open && text.trim().length > 0;

  function pick(hit: TSearchHit) {
    onPick(hit);
    setOpen(false);
    setText("");
    setTerm("");
    inputRef.current?.blur();
  }

  function onKeyDown(e: KeyboardEvent<HTMLInputElement>) {
    if (e.key === "ArrowDown") {
      e.preventDefault();
      setOpen(true);
      setActive((a) => (hits.length ? (a + 1) % hits.length : 0));
    } else if (e.key === "ArrowUp") {
      e.preventDefault();
      setActive((a) => (hits.length ? (a - 1 + hits.length) % hits.length : 0));
    } else if (e.key === "Enter") {
      e.preventDefault();
      const hit = hits[active] ?? hits[0];
      if (hit) pick(hit);
    } else if (e.key === "Escape") {
      setOpen(false);
    }
  }

  return (
    <div className="relative w-80">
      <label htmlFor={`${id}-q`} className="sr-only">
        Find a cluster, instance or data center in the topology
      </label>
      <input
        ref={inputRef}
        id={`${id}-q`}
        type="search"
        role="combobox"
        aria-expanded={show}
        aria-controls={`${id}-list`}
        aria-autocomplete="list"
        aria-activedescendant={show && hits[active] ? `${id}-${active}` : undefined}
        autoComplete="off"
        spellCheck={false}
        placeholder="Focus a cluster, instance or data center…"
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          setOpen(true);
          setActive(0);
        }}
        onFocus={() => setOpen(true)}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
        onKeyDown={onKeyDown}
        data-testid="topology-search"
        className="h-8 w-full rounded-md border border-zinc-300 bg-white px-2.5 text-sm text-zinc-900 placeholder:text-zinc-500 focus-visible:border-sky-500 focus-visible:outline-2 focus-visible:outline-sky-500/40 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100 dark:placeholder:text-zinc-400"
      />
      {show ? (
        <div className="absolute left-0 right-0 top-full z-50 mt-1 rounded-md border border-zinc-200 bg-white py-1 shadow-lg dark:border-zinc-700 dark:bg-zinc-900">
          <ul id={`${id}-list`} role="listbox" aria-label="Matches" data-testid="topology-search-results">
            {hits.map((h, i) => (
              <li
                key={`${h.kind}:${h.key}`}
                id={`${id}-${i}`}
                role="option"
                aria-selected={i === active}
                onMouseDown={(e) => e.preventDefault()}
                onMouseEnter={() => setActive(i)}
                onClick={() => pick(h)}
                className={cn("flex cursor-pointer items-center gap-2 px-3 py-1.5 text-sm", i === active && "bg-sky-50 dark:bg-sky-950")}
              >
                <HealthIcon health={h.health} />
                <span className="min-w-0 truncate font-mono text-[13px] font-medium text-zinc-900 dark:text-zinc-100">{h.label}</span>
                <span className="ml-auto shrink-0 text-xs text-zinc-500 dark:text-zinc-400">
                  {KIND_LABEL[h.kind]} · {h.detail}
                </span>
              </li>
            ))}
          </ul>
          <p className="px-3 py-1.5 text-xs text-zinc-500 dark:text-zinc-400" aria-live="polite">
            {result.isError ? "Search failed; try again." : result.isFetching && hits.length === 0 ? "Searching…" : hits.length === 0 && term ? `Nothing matches “${term}”.` : "↑↓ to move, Enter to focus"}
          </p>
        </div>
      ) : null}
    </div>
  );
}
