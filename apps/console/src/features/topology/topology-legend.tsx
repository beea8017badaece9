"use client";

import { type ReactNode } from "react";
import { HealthIcon, HEALTH_META, HEALTH_ORDER } from "@/components/ui/health";
import { CROSSING_DASH, LAG_BUCKETS, LAG_STROKE, linkWidth } from "@/features/map/encodings";
import { LineSwatch } from "@/features/map/map-legend";
import { useLegendOpen } from "@/features/map/use-legend-open";
import { DriftGlyph } from "@/features/map/drift-mark";

function Item({ swatch, children }: { swatch: ReactNode; children: ReactNode }) {
  return (
    <li className="flex items-center gap-2">
      <span className="flex w-9 shrink-0 items-center justify-center">{swatch}</span>
      <span>{children}</span>
    </li>
  );
}

function Group({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section>
      <h3 className="mb-1 text-[11px] font-semibold uppercase tracking-wide text-zinc-500 dark:text-zinc-400">{title}</h3>
      <ul className="flex flex-col gap-0.5">{children}</ul>
    </section>
  );
}

const box = (className: string) => <span aria-hidden="true" className={`block h-3.5 w-7 rounded-sm border-2 bg-white dark:bg-zinc-900 ${className}`} />;

/** The topology's legend: every encoding the current view uses. */
export function TopologyLegend({ view }: { view: "cluster" | "fleet" }) {
  const [open, setOpen] = useLegendOpen(`topology-${view}`);
  return (
    <details
      open={open}
      onToggle={(e) => {
        if (e.currentTarget.open !== open) setOpen(e.currentTarget.open);
      }}
      className="max-h-[50vh] max-w-full overflow-auto rounded-md border border-zinc-200 bg-white/95 text-xs text-zinc-700 shadow-sm dark:border-zinc-700 dark:bg-zinc-900/95 dark:text-zinc-300"
      data-testid="topology-legend"
    >
      <summary className="cursor-pointer select-none px-3 py-2 font-semibold text-zinc-900 outline-none focus-visible:ring-2 focus-visible:ring-sky-500 dark:text-zinc-100">Legend</summary>
      <div className="flex flex-wrap items-start gap-x-6 gap-y-3 px-3 pb-3">
        <Group title="Health (icon + border)">
          {HEALTH_ORDER.map((h) => (
            <Item key={h} swatch={<HealthIcon health={h} />}>
              {HEALTH_META[h].label}
              <span className="sr-only"> ({HEALTH_META[h].shape})</span>
            </Item>
          ))}
        </Group>
        {view === "cluster" ? (
          <Group title="Nodes">
            <Item swatch={box("border-l-[6px] border-zinc-500")}>Primary (thick edge)</Item>
            <Item swatch={box("border-zinc-400")}>Replica or standby</Item>
            <Item swatch={box("border-dashed border-zinc-400")}>Instance of another cluster (CDC)</Item>
            <Item swatch={<span aria-hidden="true" className="block h-4 w-8 rounded border border-zinc-300 bg-zinc-50 dark:border-zinc-600 dark:bg-zinc-800" />}>Data center</Item>
            <Item swatch={<span aria-hidden="true" className="block h-4 w-8 rounded border-2 border-rose-500" />}>Outside residency policy</Item>
          </Group>
        ) : (
          <Group title="Boxes">
            <Item swatch={<span aria-hidden="true" className="block h-4 w-8 rounded-md border-2 border-dashed border-zinc-300 bg-zinc-100 dark:border-zinc-600 dark:bg-zinc-800" />}>Jurisdiction</Item>
            <Item swatch={<span aria-hidden="true" className="block h-4 w-8 rounded-md border-2 border-zinc-300 bg-white dark:border-zinc-600 dark:bg-zinc-900" />}>Data center (dashed: not active)</Item>
            <Item
              swatch={
                <span aria-hidden="true" className="flex gap-px">
                  <span className="block h-2 w-2 bg-emerald-500" />
                  <span className="block h-2 w-2 border border-amber-500 bg-[linear-gradient(90deg,var(--color-amber-500)_50%,transparent_50%)]" />
                  <span className="block h-2 w-2 bg-rose-600" />
                </span>
              }
            >
              Cluster cells, zoomed out
            </Item>
            <Item swatch={box("border-zinc-400")}>Cluster (zoom in), in its primary&apos;s data center</Item>
          </Group>
        )}
        <Group title={view === "cluster" ? "Edge colour: lag" : "Line colour: worst lag"}>
          {LAG_BUCKETS.map((b) => (
            <Item key={b.bucket} swatch={<LineSwatch className={LAG_STROKE[b.bucket]} width={3} />}>
              {b.label}
            </Item>
          ))}
        </Group>
        <Group title="Marks">
          {view === "cluster" ? (
            <Item swatch={<LineSwatch dash={CROSSING_DASH} />}>Crosses jurisdictions</Item>
          ) : (
            <Item
              swatch={
                <svg width="34" height="14" viewBox="0 0 34 14" aria-hidden="true" className="shrink-0">
                  <path d="M2 7H32" className="stroke-zinc-500 dark:stroke-zinc-400" strokeWidth={6} strokeOpacity={0.35} />
                  <path d="M2 7H32" className="stroke-blue-600 dark:stroke-blue-400" strokeWidth={2.5} />
                </svg>
              }
            >
              Cased: crosses jurisdictions
            </Item>
          )}
          {view === "cluster" ? (
            <>
              <Item swatch={<LineSwatch className="stroke-rose-600" broken />}>Broken link</Item>
              <Item swatch={<span className="text-[10px] text-zinc-500">→</span>}>Primary to replica</Item>
              <Item swatch={<DriftGlyph className="size-3" />}>Drift: the server and the inventory disagree (count)</Item>
            </>
          ) : (
            <>
              <Item swatch={<LineSwatch width={linkWidth(1)} />}>1 link</Item>
              <Item swatch={<LineSwatch width={linkWidth(40)} />}>40 links</Item>
            </>
          )}
        </Group>
      </div>
    </details>
  );
}
