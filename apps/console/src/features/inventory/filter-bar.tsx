"use client";

import { useId, useRef, useState, type FormEvent } from "react";
import { buttonClass } from "@/components/ui/button";
import { controlClass, SelectField } from "@/components/ui/field";
import { cn } from "@/lib/cn";
import { type TParamPatch } from "./use-list-url";

export interface TFilterSelect {
  /** URL parameter and request field. */
  name: string;
  label: string;
  value: string | undefined;
  /** Label of the "no filter" choice: "All jurisdictions". */
  allLabel: string;
  options: readonly { value: string; label: string }[];
}

/**
 * Text search and dropdown filters above a table. Text is applied 300 ms after the last
 * keystroke (or on Enter); selects apply at once.
 */
export function FilterBar({
  q,
  searchLabel,
  searchPlaceholder,
  selects,
  chips = [],
  onChange,
  onClear,
}: {
  q: string | undefined;
  searchLabel: string;
  searchPlaceholder: string;
  selects: TFilterSelect[];
  /** Filters set from elsewhere (a link from a detail page) with no dropdown: shown removable. */
  chips?: { name: string; label: string; value: string | undefined }[];
  onChange: (patch: TParamPatch, options?: { replace?: boolean }) => void;
  onClear: () => void;
}) {
  const id = useId();
  const [text, setText] = useState(q ?? "");
  // The last search text this bar sent (or received): a different `q` from the URL (back
  // button, a shared link, "clear filters") replaces what is typed; our own echo does not.
  const [synced, setSynced] = useState(q ?? "");
  if ((q ?? "") !== synced) {
    setSynced(q ?? "");
    setText(q ?? "");
  }
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  function send(value: string, replace: boolean) {
    clearTimeout(timer.current);
    const trimmed = value.trim();
    if (trimmed === synced) return;
    setSynced(trimmed);
    onChange({ q: trimmed || null }, { replace });
  }

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    send(text, false);
  }

  const activeChips = chips.filter((c) => c.value);
  const active = (q ? 1 : 0) + selects.filter((s) => s.value).length + activeChips.length;

  return (
    <form role="search" onSubmit={onSubmit} className="flex flex-wrap items-end gap-2" aria-label="Filters">
      <label className="flex w-56 flex-col gap-0.5" htmlFor={`${id}-q`}>
        <span className="text-[11px] font-medium uppercase tracking-wide text-zinc-500 dark:text-zinc-400">{searchLabel}</span>
        <input
          id={`${id}-q`}
          type="search"
          value={text}
          placeholder={searchPlaceholder}
          autoComplete="off"
          spellCheck={false}
          onChange={(e) => {
            const value = e.target.value;
            setText(value);
            clearTimeout(timer.current);
            timer.current = setTimeout(() => send(value, true), 300);
          }}
          className={cn(controlClass, "w-full")}
        />
      </label>
      {selects.map((s) => (
        <SelectField
          key={s.name}
          label={s.label}
          name={s.name}
          value={s.value ?? ""}
          onChange={(e) => onChange({ [s.name]: e.target.value || null })}
          className="w-32"
        >
          <option value="">{s.allLabel}</option>
          {s.options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </SelectField>
      ))}
      {activeChips.map((c) => (
        <span
          key={c.name}
          className="inline-flex h-8 items-center gap-1 rounded-md border border-sky-200 bg-sky-50 pl-2 pr-1 text-xs text-sky-900 dark:border-sky-900 dark:bg-sky-950 dark:text-sky-200"
        >
          <span>
            {c.label}: <span className="font-medium">{c.value}</span>
          </span>
          <button
            type="button"
            aria-label={`Remove filter ${c.label} ${c.value}`}
            onClick={() => onChange({ [c.name]: null })}
            className="rounded p-0.5 hover:bg-sky-100 focus-visible:outline-2 focus-visible:outline-sky-500 dark:hover:bg-sky-900"
          >
            <svg viewBox="0 0 12 12" className="size-3" fill="none" stroke="currentColor" strokeWidth="1.5" aria-hidden="true">
              <path d="M3 3l6 6M9 3l-6 6" />
            </svg>
          </button>
        </span>
      ))}
      {active > 0 ? (
        <button
          type="button"
          onClick={() => {
            clearTimeout(timer.current);
            setText("");
            setSynced("");
            onClear();
          }}
          className={buttonClass("ghost", "h-8 text-xs")}
        >
          Clear {active === 1 ? "filter" : `${active} filters`}
        </button>
      ) : null}
    </form>
  );
}
