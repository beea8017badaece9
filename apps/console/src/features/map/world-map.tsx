"use client";

import { useMemo, useRef, useState, type KeyboardEvent, type ReactNode } from "react";
import { HealthCountsText, HealthIndicator } from "@/components/ui/health";
import { DataCenterStatusBadge } from "@/features/inventory/labels";
import { cn } from "@/lib/cn";
import { formatCount, formatLag, formatPercent } from "@/lib/format";
import { CROSSING_DASH, LAG_STROKE, lagBucket, linkWidth, markerRadius } from "./encodings";
import { clusterMarkers } from "./cluster-markers";
import { MarkerGlyph } from "./marker-glyph";
import { DriftGlyph } from "./drift-mark";
import { ResidencyGlyph } from "./residency-mark";
import { worldGeometry } from "./projection";
import { type TMapContextDataCenter, type TMapDataCenter, type TMapRoute } from "./types";
import { useZoomPan, type TMapView } from "./use-zoom-pan";

type THover =
  | { kind: "dc"; code: string; x: number; y: number }
  | { kind: "route"; id: string; x: number; y: number }
  | { kind: "cluster"; key: string; x: number; y: number }
  | null;

interface TPlaced<T> {
  item: T;
  /** Projected position at zoom 1. */
  px: number;
  py: number;
}

/**
 * The world map: land and borders as two paths in a transformed group (cheap to pan and
 * zoom), routes and markers in screen space so that they keep their size at every zoom.
 */
export function WorldMap({
  width,
  height,
  dataCenters,
  contextDataCenters,
  routes,
  selected,
  onSelect,
  view,
  onViewChange,
}: {
  width: number;
  height: number;
  dataCenters: TMapDataCenter[];
  contextDataCenters: TMapContextDataCenter[];
  routes: TMapRoute[];
  selected: string | undefined;
  onSelect: (code: string | undefined) => void;
  view: TMapView;
  onViewChange: (view: TMapView) => void;
}) {
  const svgRef = useRef<SVGSVGElement>(null);
  const geo = worldGeometry(width, height);
  const zp = useZoomPan({ svgRef, width, height, projection: geo.projection, bounds: geo.bounds, view, onViewChange });
  const { k, x: tx, y: ty } = zp.transform;
  const [hover, setHover] = useState<THover>(null);

  const placed = useMemo(() => {
    const at = (lon: number, lat: number) => geo.projection([lon, lat]) ?? [0, 0];
    const dcs = new Map<string, TPlaced<TMapDataCenter>>();
    for (const d of dataCenters) {
      const [px, py] = at(d.longitude, d.latitude);
      dcs.set(d.code, { item: d, px, py });
    }
    const context = new Map<string, TPlaced<TMapContextDataCenter>>();
    for (const d of contextDataCenters) {
      const [px, py] = at(d.longitude, d.latitude);
      context.set(d.code, { item: d, px, py });
    }
    return { dcs, context };
  }, [contextDataCenters, dataCenters, geo]);

  const maxInstances = useMemo(() => Math.max(1, ...dataCenters.map((d) => d.instanceCount)), [dataCenters]);
  const focus = hover?.kind === "dc" ? hover.code : selected;

  const screen = (p: { px: number; py: number }) => [p.px * k + tx, p.py * k + ty] as const;
  const positionOf = (code: string) => {
    const p = placed.dcs.get(code) ?? placed.context.get(code);
    return p ? screen(p) : null;
  };

  // Big markers first, so that small ones stay clickable on top of them.
  const markers = [...placed.dcs.values()].sort((a, b) => b.item.instanceCount - a.item.instanceCount || (a.item.code < b.item.code ? -1 : 1));
  const showLabels = k >= 2.5;
  // Markers that would overlap at this zoom are drawn as one cluster marker; zooming in splits them.
  const groups = clusterMarkers(
    markers.map((p) => {
      const [x, y] = screen(p);
      return { code: p.item.code, x, y, instanceCount: p.item.instanceCount, health: p.item.health, status: p.item.status, driftCount: p.item.driftCount, residencyCount: p.item.residencyCount, placed: p };
    }),
    { keep: selected },
  );
  const clusters = groups.flatMap((g) => (g.kind === "cluster" ? [g] : []));
  const singles = groups.flatMap((g) => (g.kind === "single" ? [g.item.placed] : []));

  function onKeyDown(e: KeyboardEvent<SVGSVGElement>) {
    if (e.target !== e.currentTarget) return;
    const step = 60;
    const actions: Record<string, () => void> = {
      "+": () => zp.zoomAt(1.5),
      "=": () => zp.zoomAt(1.5),
      "-": () => zp.zoomAt(1 / 1.5),
      "0": () => zp.reset(),
      ArrowLeft: () => zp.panBy(step, 0),
      ArrowRight: () => zp.panBy(-step, 0),
      ArrowUp: () => zp.panBy(0, step),
      ArrowDown: () => zp.panBy(0, -step),
      Escape: () => onSelect(undefined),
    };
    const action = actions[e.key];
    if (action) {
      e.preventDefault();
      action();
    }
  }

  const hoveredDc = hover?.kind === "dc" ? placed.dcs.get(hover.code)?.item : undefined;
  const hoveredRoute = hover?.kind === "route" ? routes.find((r) => r.id === hover.id) : undefined;
  const hoveredCluster = hover?.kind === "cluster" ? clusters.find((c) => c.key === hover.key) : undefined;

  return (
    <div className="relative h-full w-full overflow-hidden">
      <svg
        ref={svgRef}
        width={width}
        height={height}
        viewBox={`0 0 ${width} ${height}`}
        role="application"
        aria-roledescription="map"
        aria-label="World map of data centers. Arrow keys pan, plus and minus zoom, 0 shows the whole world; Tab moves between data centers."
        tabIndex={0}
        data-testid="world-map"
        data-zoom={k.toFixed(2)}
        className={cn("block touch-none select-none outline-none focus-visible:ring-2 focus-visible:ring-inset focus-visible:ring-sky-500", zp.dragging() ? "cursor-grabbing" : "cursor-grab")}
        onKeyDown={onKeyDown}
        onDoubleClick={(e) => {
          const rect = e.currentTarget.getBoundingClientRect();
          zp.zoomAt(2, e.clientX - rect.left, e.clientY - rect.top);
        }}
        onClick={(e) => {
          if (e.target === e.currentTarget || (e.target as Element).getAttribute("data-map-background") !== null) {
            if (!zp.wasDrag()) onSelect(undefined);
          }
        }}
        {...zp.pointerHandlers}
      >
        <rect width={width} height={height} className="fill-sky-50/70 dark:fill-zinc-900" data-map-background="" />
        <g transform={`translate(${tx} ${ty}) scale(${k})`}>
          <path d={geo.spherePath} className="fill-sky-100/60 dark:fill-zinc-900" data-map-background="" />
          <path d={geo.landPath} className="fill-zinc-200 stroke-zinc-300 dark:fill-zinc-800 dark:stroke-zinc-700" strokeWidth={0.5} vectorEffect="non-scaling-stroke" data-map-background="" />
          <path d={geo.bordersPath} className="fill-none stroke-white/80 dark:stroke-zinc-950/70" strokeWidth={0.75} vectorEffect="non-scaling-stroke" />
        </g>

        {/* Routes: colour = worst lag, width = number of links, dashed = crosses jurisdictions. */}
        <g>
          {routes.map((r) => {
            const a = positionOf(r.a);
            const b = positionOf(r.b);
            if (!a || !b) return null;
            const [ax, ay] = a;
            const [bx, by] = b;
            const dx = bx - ax;
            const dy = by - ay;
            const dist = Math.hypot(dx, dy) || 1;
            // Bow every arc to the same side (north-ish), more for longer routes.
            let nx = -dy / dist;
            let ny = dx / dist;
            if (ny > 0) {
              nx = -nx;
              ny = -ny;
            }
            const bow = Math.min(120, dist * 0.22);
            const cx = (ax + bx) / 2 + nx * bow;
            const cy = (ay + by) / 2 + ny * bow;
            const d = `M${ax.toFixed(1)} ${ay.toFixed(1)}Q${cx.toFixed(1)} ${cy.toFixed(1)} ${bx.toFixed(1)} ${by.toFixed(1)}`;
            const touchesFocus = focus ? r.a === focus || r.b === focus : true;
            const mx = 0.25 * ax + 0.5 * cx + 0.25 * bx;
            const my = 0.25 * ay + 0.5 * cy + 0.25 * by;
            const isHovered = hover?.kind === "route" && hover.id === r.id;
            return (
              <g
                key={r.id}
                data-testid="map-route"
                data-route={r.id}
                data-links={r.linkCount}
                data-crosses={r.crossesJurisdiction ? "true" : "false"}
                className={cn("transition-opacity", touchesFocus || isHovered ? "opacity-100" : "opacity-15")}
                onPointerEnter={() => setHover({ kind: "route", id: r.id, x: mx, y: my })}
                onPointerLeave={() => setHover((h) => (h?.kind === "route" && h.id === r.id ? null : h))}
              >
                <path d={d} className="fill-none stroke-transparent" strokeWidth={Math.max(10, linkWidth(r.linkCount) + 6)} />
                <path
                  d={d}
                  className={cn("fill-none", LAG_STROKE[lagBucket(r.maxLagSeconds)])}
                  strokeWidth={linkWidth(r.linkCount) + (isHovered ? 1.5 : 0)}
                  strokeDasharray={r.crossesJurisdiction ? CROSSING_DASH : undefined}
                  strokeLinecap="round"
                  opacity={0.9}
                />
                {r.brokenCount > 0 ? <BrokenMark x={mx} y={my} /> : null}
              </g>
            );
          })}
        </g>

        {/* Far ends of routes that leave the filtered view. */}
        <g>
          {[...placed.context.values()].map((p) => {
            const [x, y] = screen(p);
            return (
              <g key={p.item.code} transform={`translate(${x} ${y})`} data-testid="dc-context-marker" data-code={p.item.code}>
                <title>{`${p.item.code} · ${p.item.name} (outside the filters)`}</title>
                <circle r={3.5} className="fill-white stroke-zinc-500 dark:fill-zinc-900 dark:stroke-zinc-400" strokeWidth={1.25} strokeDasharray="2 1.5" />
                {showLabels ? (
                  <text x={7} y={3.5} className="fill-zinc-500 text-[10px] dark:fill-zinc-400">
                    {p.item.code}
                  </text>
                ) : null}
              </g>
            );
          })}
        </g>

        {/* Groups of data centers too close to tell apart at this zoom: count and worst health; click to zoom in. */}
        <g>
          {clusters.map((c) => {
            const r = markerRadius(c.instanceCount, maxInstances);
            const codes = c.members.map((m) => m.code);
            const label = `${codes.length} data centers: ${codes.join(", ")}; worst health ${c.health.toLowerCase()}, ${c.instanceCount} instances${c.driftCount ? `, ${c.driftCount} drift findings` : ""}${c.residencyCount ? `, ${c.residencyCount} residency findings` : ""}. Press Enter to see them apart.`;
            const zoomIn = () => zp.zoomAt(2.5, c.x, c.y);
            return (
              <g
                key={c.key}
                transform={`translate(${c.x.toFixed(1)} ${c.y.toFixed(1)})`}
                data-testid="dc-cluster"
                data-count={codes.length}
                data-codes={codes.join(" ")}
                data-health={c.health}
                role="button"
                tabIndex={0}
                aria-label={label}
                className="cursor-zoom-in outline-none [&:focus-visible>circle:first-child]:stroke-sky-500"
                onClick={(e) => {
                  e.stopPropagation();
                  if (!zp.wasDrag()) zoomIn();
                }}
                onKeyDown={(e) => {
                  if (e.key === "Enter" || e.key === " ") {
                    e.preventDefault();
                    zoomIn();
                  }
                }}
                onPointerEnter={() => setHover({ kind: "cluster", key: c.key, x: c.x, y: c.y })}
                onPointerLeave={() => setHover((h) => (h?.kind === "cluster" && h.key === c.key ? null : h))}
                onFocus={() => setHover({ kind: "cluster", key: c.key, x: c.x, y: c.y })}
                onBlur={() => setHover((h) => (h?.kind === "cluster" && h.key === c.key ? null : h))}
              >
                <circle r={r + 10} className="fill-transparent stroke-transparent" strokeWidth={2} />
                {/* A second disc behind the glyph: a stack of several data centers. */}
                <circle cx={3} cy={-3} r={r} className="fill-white stroke-zinc-500 dark:fill-zinc-900 dark:stroke-zinc-400" strokeWidth={1.25} />
                <MarkerGlyph health={c.health} status="ACTIVE" r={r} highlighted={hover?.kind === "cluster" && hover.key === c.key} />
                <g transform={`translate(${(r * 0.75 + 3).toFixed(1)} ${(r * 0.75 + 3).toFixed(1)})`} aria-hidden="true">
                  <circle r={8} className="fill-zinc-900 stroke-white dark:fill-zinc-100 dark:stroke-zinc-950" strokeWidth={1.5} />
                  <text textAnchor="middle" y={3.5} className="fill-white text-[10px] font-semibold tabular-nums dark:fill-zinc-900">
                    {codes.length}
                  </text>
                </g>
                {c.driftCount > 0 ? (
                  <g transform={`translate(${(r * 0.7 + 1).toFixed(1)} ${(-r * 0.7 - 9).toFixed(1)})`} data-testid="dc-drift-mark">
                    <DriftGlyph />
                  </g>
                ) : null}
                {c.residencyCount > 0 ? (
                  <g transform={`translate(${(-r * 0.7 - 11).toFixed(1)} ${(-r * 0.7 - 9).toFixed(1)})`} data-testid="dc-residency-mark">
                    <ResidencyGlyph />
                  </g>
                ) : null}
              </g>
            );
          })}
        </g>

        {/* Data centers. */}
        <g>
          {singles.map((p) => {
            const d = p.item;
            const [x, y] = screen(p);
            const r = markerRadius(d.instanceCount, maxInstances);
            const isSelected = d.code === selected;
            const label = `${d.code}, ${d.name}: ${d.health.toLowerCase()}, ${d.status.toLowerCase()}, ${d.instanceCount} instances${d.driftCount ? `, ${d.driftCount} drift findings` : ""}${d.residencyCount ? `, ${d.residencyCount} residency findings` : ""}`;
            return (
              <g
                key={d.code}
                transform={`translate(${x.toFixed(1)} ${y.toFixed(1)})`}
                data-testid="dc-marker"
                data-code={d.code}
                data-health={d.health}
                data-status={d.status}
                data-instances={d.instanceCount}
                data-drift={d.driftCount || undefined}
                data-residency={d.residencyCount || undefined}
                data-selected={isSelected ? "true" : undefined}
                role="button"
                tabIndex={0}
                aria-label={label}
                aria-pressed={isSelected}
                className="cursor-pointer outline-none [&:focus-visible>circle:first-child]:stroke-sky-500"
                onClick={(e) => {
                  e.stopPropagation();
                  if (!zp.wasDrag()) onSelect(isSelected ? undefined : d.code);
                }}
                onKeyDown={(e) => {
                  if (e.key === "Enter" || e.key === " ") {
                    e.preventDefault();
                    onSelect(isSelected ? undefined : d.code);
                  }
                }}
                onPointerEnter={() => setHover({ kind: "dc", code: d.code, x, y })}
                onPointerLeave={() => setHover((h) => (h?.kind === "dc" && h.code === d.code ? null : h))}
                onFocus={() => setHover({ kind: "dc", code: d.code, x, y })}
                onBlur={() => setHover((h) => (h?.kind === "dc" && h.code === d.code ? null : h))}
              >
                <circle r={r + 8} className="fill-transparent stroke-transparent" strokeWidth={2} />
                <MarkerGlyph health={d.health} status={d.status} r={r} selected={isSelected} highlighted={hover?.kind === "dc" && hover.code === d.code} />
                {d.driftCount > 0 ? (
                  <g transform={`translate(${(r * 0.7 + 1).toFixed(1)} ${(-r * 0.7 - 9).toFixed(1)})`} data-testid="dc-drift-mark">
                    <DriftGlyph />
                  </g>
                ) : null}
                {d.residencyCount > 0 ? (
                  <g transform={`translate(${(-r * 0.7 - 11).toFixed(1)} ${(-r * 0.7 - 9).toFixed(1)})`} data-testid="dc-residency-mark">
                    <ResidencyGlyph />
                  </g>
                ) : null}
                {showLabels || isSelected ? (
                  <text
                    x={r + 6}
                    y={4}
                    className="pointer-events-none fill-zinc-800 stroke-white text-[11px] font-semibold dark:fill-zinc-100 dark:stroke-zinc-950"
                    strokeWidth={3}
                    paintOrder="stroke"
                  >
                    {d.code}
                  </text>
                ) : null}
              </g>
            );
          })}
        </g>
      </svg>

      <div className="absolute right-3 top-3 flex flex-col overflow-hidden rounded-md border border-zinc-200 bg-white/95 shadow-sm dark:border-zinc-700 dark:bg-zinc-900/95">
        <ZoomButton label="Zoom in" onClick={() => zp.zoomAt(1.6)}>
          <path d="M6 2.5v7M2.5 6h7" />
        </ZoomButton>
        <ZoomButton label="Zoom out" onClick={() => zp.zoomAt(1 / 1.6)}>
          <path d="M2.5 6h7" />
        </ZoomButton>
        <ZoomButton label="Show the whole world" onClick={() => zp.reset()}>
          <circle cx="6" cy="6" r="4" />
          <path d="M2 6h8M6 2c1.2 1.2 1.8 2.5 1.8 4S7.2 8.8 6 10C4.8 8.8 4.2 7.5 4.2 6S4.8 3.2 6 2" />
        </ZoomButton>
      </div>

      {hoveredDc && hover ? (
        <Tooltip x={hover.x} y={hover.y} width={width} height={height}>
          <DataCenterSummary dc={hoveredDc} routes={routes} />
        </Tooltip>
      ) : null}
      {hoveredCluster && hover ? (
        <Tooltip x={hover.x} y={hover.y} width={width} height={height}>
          <ClusterSummary members={hoveredCluster.members.map((m) => m.placed.item)} />
        </Tooltip>
      ) : null}
      {hoveredRoute && hover ? (
        <Tooltip x={hover.x} y={hover.y} width={width} height={height}>
          <RouteSummary route={hoveredRoute} jurisdictionOf={(code) => placed.dcs.get(code)?.item.jurisdictionCode ?? placed.context.get(code)?.item.jurisdictionCode} />
        </Tooltip>
      ) : null}
    </div>
  );
}

function BrokenMark({ x, y }: { x: number; y: number }) {
  return (
    <g transform={`translate(${x} ${y})`} aria-hidden="true">
      <circle r={6} className="fill-white stroke-rose-600 dark:fill-zinc-950 dark:stroke-rose-500" strokeWidth={1.5} />
      <path d="M-2.5 -2.5L2.5 2.5M2.5 -2.5L-2.5 2.5" className="stroke-rose-600 dark:stroke-rose-500" strokeWidth={1.6} strokeLinecap="round" />
    </g>
  );
}

function ZoomButton({ label, onClick, children }: { label: string; onClick: () => void; children: ReactNode }) {
  return (
    <button
      type="button"
      title={label}
      aria-label={label}
      onClick={onClick}
      className="flex size-8 items-center justify-center border-b border-zinc-200 text-zinc-700 last:border-b-0 hover:bg-zinc-50 focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-sky-500 dark:border-zinc-700 dark:text-zinc-200 dark:hover:bg-zinc-800"
    >
      <svg viewBox="0 0 12 12" className="size-3.5" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" aria-hidden="true">
        {children}
      </svg>
    </button>
  );
}

function Tooltip({ x, y, width, height, children }: { x: number; y: number; width: number; height: number; children: ReactNode }) {
  // Beside the point, flipped away from the edges.
  const left = x > width - 300 ? undefined : x + 16;
  const right = x > width - 300 ? width - x + 16 : undefined;
  const top = y > height - 220 ? undefined : y + 12;
  const bottom = y > height - 220 ? height - y + 12 : undefined;
  return (
    <div
      role="tooltip"
      data-testid="map-tooltip"
      className="pointer-events-none absolute z-20 w-72 rounded-md border border-zinc-200 bg-white/95 p-3 text-xs shadow-lg dark:border-zinc-700 dark:bg-zinc-900/95"
      style={{ left, right, top, bottom }}
    >
      {children}
    </div>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <dt className="text-zinc-500 dark:text-zinc-400">{label}</dt>
      <dd className="text-right tabular-nums text-zinc-900 dark:text-zinc-100">{children}</dd>
    </>
  );
}

function DataCenterSummary({ dc, routes }: { dc: TMapDataCenter; routes: TMapRoute[] }) {
  const touching = routes.filter((r) => r.a === dc.code || r.b === dc.code);
  const links = touching.reduce((sum, r) => sum + r.linkCount, 0);
  const worst = touching.reduce((max, r) => Math.max(max, r.maxLagSeconds), 0);
  return (
    <div className="flex flex-col gap-2">
      <div>
        <div className="flex items-center justify-between gap-2">
          <span className="font-mono text-sm font-semibold text-zinc-900 dark:text-zinc-50">{dc.code}</span>
          <DataCenterStatusBadge status={dc.status} />
        </div>
        <div className="text-zinc-600 dark:text-zinc-400">
          {dc.name} · {dc.city}, {dc.country} · {dc.jurisdictionCode}
        </div>
      </div>
      <div className="flex items-center gap-3">
        <HealthIndicator health={dc.health} className="font-medium" />
        <HealthCountsText counts={dc.healthCounts} />
      </div>
      {dc.driftCount > 0 ? (
        <div className="flex items-center gap-1 text-fuchsia-700 dark:text-fuchsia-300">
          <DriftGlyph />
          {dc.driftCount} open drift finding{dc.driftCount === 1 ? "" : "s"}
        </div>
      ) : null}
      {dc.residencyCount > 0 ? (
        <div className="flex items-center gap-1 text-rose-700 dark:text-rose-300">
          <ResidencyGlyph />
          {dc.residencyCount} open residency finding{dc.residencyCount === 1 ? "" : "s"}: data outside its cluster&apos;s allowed jurisdictions
        </div>
      ) : null}
      <dl className="grid grid-cols-2 gap-x-3 gap-y-0.5">
        <Fact label="Instances">{formatCount(dc.instanceCount)}</Fact>
        <Fact label="Clusters">{formatCount(dc.clusterCount)}</Fact>
        <Fact label="Capacity used">
          {formatCount(dc.capacityUsed)} / {formatCount(dc.capacitySlots)} ({formatPercent(dc.utilisation)})
        </Fact>
        <Fact label="Free slots">{formatCount(dc.capacityFree)}</Fact>
        <Fact label="Cross-DC links">{formatCount(links)}</Fact>
        <Fact label="Worst lag">{touching.length ? formatLag(worst) : "—"}</Fact>
      </dl>
      <p className="text-zinc-500 dark:text-zinc-400">Click for clusters, instances and links.</p>
    </div>
  );
}

function ClusterSummary({ members }: { members: TMapDataCenter[] }) {
  return (
    <div className="flex flex-col gap-2">
      <div className="text-sm font-semibold text-zinc-900 dark:text-zinc-50">{members.length} data centers close together</div>
      <ul className="flex flex-col gap-0.5">
        {members.map((d) => (
          <li key={d.code} className="flex items-center justify-between gap-2">
            <span>
              <span className="font-mono font-semibold">{d.code}</span> <span className="text-zinc-500">{d.city}</span>
            </span>
            <span className="flex items-center gap-2 tabular-nums">
              {formatCount(d.instanceCount)}
              <HealthIndicator health={d.health} hideLabel />
            </span>
          </li>
        ))}
      </ul>
      <p className="text-zinc-500 dark:text-zinc-400">Click to zoom in and tell them apart.</p>
    </div>
  );
}

function RouteSummary({ route, jurisdictionOf }: { route: TMapRoute; jurisdictionOf: (code: string) => string | undefined }) {
  const modes = (["PHYSICAL", "LOGICAL", "CDC"] as const).filter((m) => route.modes[m] > 0).map((m) => `${route.modes[m]} ${m === "CDC" ? "CDC" : m.toLowerCase()}`);
  return (
    <div className="flex flex-col gap-2">
      <div className="font-mono text-sm font-semibold text-zinc-900 dark:text-zinc-50">
        {route.a} ⇄ {route.b}
      </div>
      <dl className="grid grid-cols-2 gap-x-3 gap-y-0.5">
        <Fact label="Links">{formatCount(route.linkCount)}</Fact>
        <Fact label="Direction">
          {route.aToB} → · {route.bToA} ←
        </Fact>
        <Fact label="Worst lag">{formatLag(route.maxLagSeconds)}</Fact>
        <Fact label="Modes">{modes.join(", ")}</Fact>
        <Fact label="Not streaming">{route.impairedCount > 0 ? `${route.impairedCount} (${route.brokenCount} broken)` : "none"}</Fact>
      </dl>
      {route.crossesJurisdiction ? (
        <p className="text-zinc-600 dark:text-zinc-300">
          Crosses jurisdictions: {jurisdictionOf(route.a)} ⇄ {jurisdictionOf(route.b)}
        </p>
      ) : null}
    </div>
  );
}
