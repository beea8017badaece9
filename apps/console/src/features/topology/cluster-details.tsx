"use client";

import Link from "next/link";
import { type ReactNode } from "react";
import { JurisdictionPill } from "@/components/ui/badge";
import { HealthIndicator } from "@/components/ui/health";
import { DataCenterStatusBadge, LinkStatusBadge } from "@/features/inventory/labels";
import { Lag } from "@/features/inventory/lag";
import { LinkSyncToggle } from "@/features/inventory/link-sync";
import { formatCount } from "@/lib/format";
import { type TTopologyUrlState } from "./topology-url";
import { type TClusterGraph, type TGraphLink } from "./types";

const linkClass = "text-sky-700 hover:underline focus-visible:outline-2 focus-visible:outline-sky-500 dark:text-sky-400";

export function DetailsFrame({ title, subtitle, onClose, children }: { title: ReactNode; subtitle?: ReactNode; onClose: () => void; children: ReactNode }) {
  return (
    <aside
      aria-label="Details of the selection"
      data-testid="topology-details"
      className="flex h-full w-[340px] shrink-0 flex-col overflow-y-auto border-l border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900"
    >
      <div className="flex items-start justify-between gap-2 border-b border-zinc-200 px-4 py-3 dark:border-zinc-800">
        <div className="min-w-0">
          <h2 className="truncate font-mono text-sm font-semibold text-zinc-900 dark:text-zinc-50">{title}</h2>
          {subtitle ? <p className="mt-0.5 text-xs text-zinc-500 dark:text-zinc-400">{subtitle}</p> : null}
        </div>
        <button
          type="button"
          onClick={onClose}
          aria-label="Close details"
          className="rounded p-1 text-zinc-500 hover:bg-zinc-100 hover:text-zinc-900 focus-visible:outline-2 focus-visible:outline-sky-500 dark:hover:bg-zinc-800 dark:hover:text-zinc-100"
        >
          <svg viewBox="0 0 12 12" className="size-3.5" fill="none" stroke="currentColor" strokeWidth="1.6" aria-hidden="true">
            <path d="M3 3l6 6M9 3l-6 6" />
          </svg>
        </button>
      </div>
      <div className="flex flex-col gap-4 px-4 py-3 text-sm">{children}</div>
    </aside>
  );
}

export function Facts({ items }: { items: { label: string; value: ReactNode }[] }) {
  return (
    <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1.5 text-xs">
      {items.map((i) => (
        <div key={i.label} className="contents">
          <dt className="text-zinc-500 dark:text-zinc-400">{i.label}</dt>
          <dd className="min-w-0 truncate text-right text-zinc-900 dark:text-zinc-100">{i.value}</dd>
        </div>
      ))}
    </dl>
  );
}

function LinkRow({ link, other, direction, rpo }: { link: TGraphLink; other: string; direction: "from" | "to"; rpo: number }) {
  return (
    <li className="flex flex-col gap-0.5 rounded border border-zinc-200 px-2 py-1.5 text-xs dark:border-zinc-700" data-testid="topology-details-link">
      <div className="flex items-center gap-2">
        <span className="text-zinc-500">{direction}</span>
        <span className="min-w-0 truncate font-mono font-medium">{other}</span>
        <span className="ml-auto">
          <LinkStatusBadge status={link.status} />
        </span>
      </div>
      <div className="flex items-center gap-2 text-zinc-600 dark:text-zinc-300">
        <span>{link.mode === "CDC" ? "CDC" : link.mode.toLowerCase()}</span>
        {link.crossesJurisdiction ? <span className="text-zinc-500">· crosses jurisdictions</span> : null}
        <span className="ml-auto">
          <Lag seconds={link.lagSeconds} bytes={link.lagBytes} rpoSeconds={rpo} />
        </span>
      </div>
      <LinkSyncToggle linkId={link.id} />
    </li>
  );
}

/** The selected instance or data center of a cluster graph. */
export function ClusterDetails({ data, select, onClose }: { data: TClusterGraph; select: NonNullable<TTopologyUrlState["select"]>; onClose: () => void }) {
  const byId = new Map(data.instances.map((i) => [i.id, i]));
  if (select.kind === "instance") {
    const i = data.instances.find((x) => x.name === select.key);
    if (!i) return null;
    const dc = data.dataCenters.find((d) => d.code === i.dataCenterCode);
    const into = data.links.filter((l) => l.targetId === i.id);
    const out = data.links.filter((l) => l.sourceId === i.id);
    return (
      <DetailsFrame title={i.name} subtitle={i.external ? `Instance of ${i.clusterName} (another cluster)` : `${i.role.toLowerCase()} of ${data.cluster.name}`} onClose={onClose}>
        <Facts
          items={[
            { label: "Health", value: <HealthIndicator health={i.health} className="justify-end" /> },
            { label: "Role", value: i.role.toLowerCase() },
            { label: "Data center", value: dc ? `${dc.code} · ${dc.city}` : i.dataCenterCode },
            { label: "Jurisdiction", value: dc ? <JurisdictionPill code={dc.jurisdictionCode} /> : "—" },
            { label: "Version", value: i.version },
            { label: "Endpoint", value: <span className="font-mono" title={i.endpoint}>{i.endpoint}</span> },
          ]}
        />
        {into.length > 0 ? (
          <section>
            <h3 className="mb-1 text-[11px] font-semibold uppercase tracking-wide text-zinc-500">Replicates from</h3>
            <ul className="flex flex-col gap-1">
              {into.map((l) => (
                <LinkRow key={l.id} link={l} other={byId.get(l.sourceId)?.name ?? "?"} direction="from" rpo={data.cluster.rpoSeconds} />
              ))}
            </ul>
          </section>
        ) : null}
        {out.length > 0 ? (
          <section>
            <h3 className="mb-1 text-[11px] font-semibold uppercase tracking-wide text-zinc-500">Replicates to ({formatCount(out.length)})</h3>
            <ul className="flex flex-col gap-1">
              {out.map((l) => (
                <LinkRow key={l.id} link={l} other={byId.get(l.targetId)?.name ?? "?"} direction="to" rpo={data.cluster.rpoSeconds} />
              ))}
            </ul>
          </section>
        ) : null}
        <div className="flex flex-wrap gap-x-4 gap-y-1 text-xs">
          <Link href={`/inventory/instances/${encodeURIComponent(i.name)}`} className={linkClass}>
            Instance page
          </Link>
          <Link href={`/map?dc=${encodeURIComponent(i.dataCenterCode)}`} className={linkClass}>
            {i.dataCenterCode} on the map
          </Link>
          {i.external ? (
            <Link href={`/topology?cluster=${encodeURIComponent(i.clusterName)}`} className={linkClass}>
              {i.clusterName} topology
            </Link>
          ) : null}
        </div>
      </DetailsFrame>
    );
  }
  if (select.kind === "dc") {
    const dc = data.dataCenters.find((d) => d.code === select.key);
    if (!dc) return null;
    const here = data.instances.filter((i) => i.dataCenterCode === dc.code);
    return (
      <DetailsFrame title={`${dc.code} · ${dc.name}`} subtitle={`${dc.city}, ${dc.country} · ${dc.regionCode}`} onClose={onClose}>
        <Facts
          items={[
            { label: "Status", value: <DataCenterStatusBadge status={dc.status} /> },
            { label: "Jurisdiction", value: <JurisdictionPill code={dc.jurisdictionCode} /> },
            { label: `Health of ${data.cluster.name} here`, value: <HealthIndicator health={dc.health} className="justify-end" /> },
            { label: "Instances here", value: formatCount(here.length) },
          ]}
        />
        <ul className="flex flex-col gap-1 text-xs">
          {here.map((i) => (
            <li key={i.id} className="flex items-center gap-2">
              <HealthIndicator health={i.health} hideLabel />
              <span className="font-mono">{i.name}</span>
              <span className="ml-auto text-zinc-500">{i.external ? i.clusterName : i.role.toLowerCase()}</span>
            </li>
          ))}
        </ul>
        <div className="flex flex-wrap gap-x-4 gap-y-1 text-xs">
          <Link href={`/map?dc=${encodeURIComponent(dc.code)}`} className={linkClass}>
            On the map
          </Link>
          <Link href={`/inventory/data-centers/${encodeURIComponent(dc.code)}`} className={linkClass}>
            Data center page
          </Link>
        </div>
      </DetailsFrame>
    );
  }
  return null;
}
