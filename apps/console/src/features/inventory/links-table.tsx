import Link from "next/link";
import type { TReplicationLinkView } from "@meridian/api/client";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { HealthIcon } from "@/components/ui/health";
import { RelativeTime } from "@/components/ui/relative-time";
import { Table, TableScroller, Td, Th, Tr } from "@/components/ui/table";
import { formatBytes } from "@/lib/format";
import { LinkStatusBadge } from "./labels";
import { LinkSyncToggle } from "./link-sync";
import { Lag } from "./lag";

function End({ end }: { end: TReplicationLinkView["source"] }) {
  return (
    <span className="inline-flex items-center gap-1.5">
      <HealthIcon health={end.health} className="size-2.5" />
      <span className="sr-only">{end.health.toLowerCase()}</span>
      <Link prefetch={false} href={`/inventory/instances/${encodeURIComponent(end.name)}`} className="text-sky-700 hover:underline dark:text-sky-400">
        {end.name}
      </Link>
      <Link
        prefetch={false}
        href={`/inventory/data-centers/${encodeURIComponent(end.dataCenterCode)}`}
        className="font-mono text-xs text-zinc-500 hover:underline dark:text-zinc-400"
      >
        {end.dataCenterCode}
      </Link>
    </span>
  );
}

/** Crossing markers, explained by <LinkLegend />: a dashed pill for another jurisdiction. */
export function Crossing({ link }: { link: TReplicationLinkView }) {
  if (link.crossesJurisdiction) {
    return (
      <Badge tone="waiting" className="border border-dashed border-amber-600 ring-0 dark:border-amber-400" title={`${link.source.jurisdictionCode} → ${link.target.jurisdictionCode}: data leaves its jurisdiction`}>
        {link.source.jurisdictionCode} → {link.target.jurisdictionCode}
      </Badge>
    );
  }
  if (link.crossesDataCenter) return <Badge title="Source and target are in different data centers">cross-DC</Badge>;
  return <span className="text-xs text-zinc-500 dark:text-zinc-400">same DC</span>;
}

export function LinkLegend() {
  return (
    <p className="flex flex-wrap items-center gap-x-4 gap-y-1 text-xs text-zinc-500 dark:text-zinc-400">
      <span className="inline-flex items-center gap-1.5">
        <Badge>cross-DC</Badge> source and target in different data centers
      </span>
      <span className="inline-flex items-center gap-1.5">
        <Badge tone="waiting" className="border border-dashed border-amber-600 ring-0 dark:border-amber-400">
          EU → UK
        </Badge>
        crosses jurisdictions (dashed)
      </span>
      <span className="inline-flex items-center gap-1.5">
        <span className="font-medium text-rose-700 dark:text-rose-400" aria-hidden="true">
          ▲
        </span>
        lag above the cluster&apos;s RPO
      </span>
    </p>
  );
}

/** Replication links with both ends, mode, status, lag (time and bytes) and crossing. */
export function LinksTable({
  links,
  rpoSeconds,
  emptyTitle,
  emptyText,
  label,
}: {
  links: TReplicationLinkView[];
  rpoSeconds?: number;
  emptyTitle: string;
  emptyText: string;
  label: string;
}) {
  if (links.length === 0) {
    return (
      <EmptyState compact title={emptyTitle}>
        {emptyText}
      </EmptyState>
    );
  }
  return (
    <TableScroller className="max-h-[28rem]">
      <Table aria-label={label}>
        <thead>
          <tr>
            <Th>Source</Th>
            <Th>
              <span className="sr-only">Direction</span>
            </Th>
            <Th>Target</Th>
            <Th>Mode</Th>
            <Th>Status</Th>
            <Th numeric>Lag</Th>
            <Th numeric>Behind</Th>
            <Th>Crossing</Th>
            <Th>Updated</Th>
            <Th>
              <span className="sr-only">Data sync</span>
            </Th>
          </tr>
        </thead>
        <tbody>
          {links.map((link) => (
            <Tr key={link.id} data-testid="link-row">
              <Td>
                <End end={link.source} />
              </Td>
              <Td muted aria-hidden="true">
                →
              </Td>
              <Td>
                <End end={link.target} />
              </Td>
              <Td muted>{link.mode.toLowerCase()}</Td>
              <Td>
                <LinkStatusBadge status={link.status} />
              </Td>
              <Td numeric>
                <Lag seconds={link.lagSeconds} rpoSeconds={rpoSeconds} showBytes={false} />
              </Td>
              <Td numeric muted>
                {formatBytes(link.lagBytes)}
              </Td>
              <Td>
                <Crossing link={link} />
              </Td>
              <Td muted>
                <RelativeTime date={link.updatedAt} />
              </Td>
              <Td>
                <LinkSyncToggle linkId={link.id} />
              </Td>
            </Tr>
          ))}
        </tbody>
      </Table>
    </TableScroller>
  );
}
