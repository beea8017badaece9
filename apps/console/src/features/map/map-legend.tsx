"use client";

import { type ReactNode } from "react";
import { HEALTH_META, HEALTH_ORDER } from "@/components/ui/health";
import { cn } from "@/lib/cn";
import { formatCount } from "@/lib/format";
import { CROSSING_DASH, LAG_BUCKETS, LAG_STROKE, linkWidth, markerRadius, STATUS_RING, type TDataCenterStatus } from "./encodings";
import { MarkerSwatch } from "./marker-glyph";
import { DriftGlyph } from "./drift-mark";
import { ResidencyGlyph } from "./residency-mark";
import { useLegendOpen } from "./use-legend-open";

const STATUSES: TDataCenterStatus[] = ["ACTIVE", "DRAINING", "MAINTENANCE", "OFFLINE"];

function Row({ swatch, children }: { swatch: ReactNode; children: ReactNode }) {
  return (
    <li className="flex items-center gap-2">
      <span className="flex w-9 shrink-0 items-center justify-center">{swatch}</span>
      <span>{children}</span>
    </li>
  );
}

export function LineSwatch({ className, width = 2.5, dash, broken = false }: { className?: string; width?: number; dash?: string; broken?: boolean }) {
  return (
    <svg width="34" height="14" viewBox="0 0 34 14" aria-hidden="true" className="shrink-0">
      <path d="M2 7H32" className={cn("fill-none", className ?? "stroke-zinc-500 dark:stroke-zinc-400")} strokeWidth={width} strokeDasharray={dash} strokeLinecap="round" />
      {broken ? (
        <g transform="translate(17 7)">
          <circle r={5} className="fill-white stroke-rose-600 dark:fill-zinc-950 dark:stroke-rose-500" strokeWidth={1.3} />
          <path d="M-2 -2L2 2M2 -2L-2 2" className="stroke-rose-600 dark:stroke-rose-500" strokeWidth={1.4} strokeLinecap="round" />
        </g>
      ) : null}
    </svg>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section>
      <h3 className="mb-1 text-[11px] font-semibold uppercase tracking-wide text-zinc-500 dark:text-zinc-400">{title}</h3>
      <ul className="flex flex-col gap-0.5">{children}</ul>
    </section>
  );
}

/** The map's legend: one entry for every encoding the map uses. */
export function MapLegend({ maxInstances }: { maxInstances: number }) {
  const [open, setOpen] = useLegendOpen("map");
  const sizes = [1, Math.max(2, Math.round(maxInstances / 4)), Math.max(3, maxInstances)];
  return (
    <details
      open={open}
      onToggle={(e) => {
        if (e.currentTarget.open !== open) setOpen(e.currentTarget.open);
      }}
      className="group max-h-full max-w-full overflow-auto rounded-md border border-zinc-200 bg-white/95 text-xs text-zinc-700 shadow-sm dark:border-zinc-700 dark:bg-zinc-900/95 dark:text-zinc-300"
      data-testid="map-legend"
    >
      <summary className="cursor-pointer select-none px-3 py-2 text-xs font-semibold text-zinc-900 outline-none focus-visible:ring-2 focus-visible:ring-sky-500 dark:text-zinc-100">
        Legend
      </summary>
      <div className="flex flex-wrap items-start gap-x-6 gap-y-3 px-3 pb-3">
        <Section title="Health (colour + shape)">
          {HEALTH_ORDER.map((h) => (
            <Row key={h} swatch={<MarkerSwatch health={h} r={5} />}>
              {HEALTH_META[h].label}
              <span className="sr-only"> ({HEALTH_META[h].shape})</span>
            </Row>
          ))}
        </Section>
        <Section title="Data center status (ring)">
          {STATUSES.map((s) => (
            <Row key={s} swatch={<MarkerSwatch status={s} r={5} />}>
              {STATUS_RING[s].label}
              <span className="sr-only"> ({STATUS_RING[s].help})</span>
            </Row>
          ))}
        </Section>
        <Section title="Size: instances">
          {sizes.map((n) => (
            <Row key={n} swatch={<MarkerSwatch r={markerRadius(n, maxInstances)} className="max-h-9" />}>
              {formatCount(n)}
            </Row>
          ))}
        </Section>
        <Section title="Route colour: worst lag">
          {LAG_BUCKETS.map((b) => (
            <Row key={b.bucket} swatch={<LineSwatch className={LAG_STROKE[b.bucket]} width={3} />}>
              {b.label}
            </Row>
          ))}
        </Section>
        <Section title="Route width: links">
          {[1, 10, 60].map((n) => (
            <Row key={n} swatch={<LineSwatch width={linkWidth(n)} />}>
              {n} {n === 1 ? "link" : "links"}
            </Row>
          ))}
        </Section>
        <Section title="Marks">
          <Row swatch={<LineSwatch dash={CROSSING_DASH} />}>Crosses jurisdictions</Row>
          <Row swatch={<DriftGlyph className="size-3" />}>Drift on a data center&apos;s servers (server and inventory disagree)</Row>
          <Row swatch={<ResidencyGlyph className="size-3" />}>Residency: data here outside its cluster&apos;s allowed jurisdictions (an instance, or a link replicating into it)</Row>
          <Row swatch={<LineSwatch broken />}>Has broken links</Row>
          <Row
            swatch={
              <svg width="14" height="14" viewBox="-7 -7 14 14" aria-hidden="true">
                <circle r={3.5} className="fill-white stroke-zinc-500 dark:fill-zinc-900 dark:stroke-zinc-400" strokeWidth={1.25} strokeDasharray="2 1.5" />
              </svg>
            }
          >
            Outside the filters
          </Row>
          <Row
            swatch={
              <svg width="18" height="16" viewBox="-8 -9 18 16" aria-hidden="true">
                <circle cx={2} cy={-2} r={4.5} className="fill-white stroke-zinc-500 dark:fill-zinc-900 dark:stroke-zinc-400" strokeWidth={1} />
                <circle r={4.5} className="fill-slate-400 stroke-white dark:fill-slate-500 dark:stroke-zinc-950" strokeWidth={1} />
                <circle cx={5} cy={3} r={3.5} className="fill-zinc-900 dark:fill-zinc-100" />
              </svg>
            }
          >
            Several data centers close together: count and worst health (zoom in to split)
          </Row>
        </Section>
      </div>
    </details>
  );
}
