import Link from "next/link";
import { BREAK_GLASS_KINDS, CHANGE_KIND_DESCRIPTIONS, CHANGE_KIND_LABELS, CHANGE_KINDS, type TChangeKind } from "@meridian/policy";

/** The kinds of change, one card each, reachable with Tab and Enter. */
export function KindPicker({ fleetWide }: { fleetWide: boolean }) {
  const kinds = CHANGE_KINDS.filter((k) => fleetWide || k !== "DRAIN_DATACENTER");
  return (
    <ul className="grid max-w-5xl grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-3" aria-label="Kinds of change">
      {kinds.map((k: TChangeKind) => (
        <li key={k}>
          <Link
            href={`/changes/new?kind=${k}`}
            className="flex h-full flex-col gap-1 rounded-lg border border-zinc-200 bg-white p-4 hover:border-sky-400 hover:bg-sky-50/40 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-500 dark:border-zinc-800 dark:bg-zinc-900 dark:hover:border-sky-700 dark:hover:bg-sky-950/30"
            data-testid={`kind-${k}`}
          >
            <span className="text-sm font-semibold text-zinc-900 dark:text-zinc-100">{CHANGE_KIND_LABELS[k]}</span>
            <span className="text-xs text-zinc-600 dark:text-zinc-400">{CHANGE_KIND_DESCRIPTIONS[k]}</span>
            {BREAK_GLASS_KINDS.includes(k) ? (
              <span className="mt-1 text-xs font-medium text-rose-700 dark:text-rose-400">Break-glass path available to DBAs</span>
            ) : null}
          </Link>
        </li>
      ))}
    </ul>
  );
}
