"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { Badge, JurisdictionPill } from "@/components/ui/badge";
import { HealthCountsText, HealthIndicator, HealthLegend } from "@/components/ui/health";
import { PageHeader } from "@/components/ui/page-header";
import { RelativeTime } from "@/components/ui/relative-time";
import { FactList, Section } from "@/components/ui/section";
import { Table, TableScroller, Td, Th, Tr } from "@/components/ui/table";
import { formatCount, formatDuration } from "@/lib/format";
import { RESIDENCY_FIX_TITLES, residencyFixHref } from "@/features/changes/form-prefill";
import { ResidencyGlyph } from "@/features/map/residency-mark";
import { useTRPC } from "@/lib/trpc/react";
import { ClassificationLabel, ENGINE_LABELS, RoleBadge, TierBadge, TIER_HELP, DataCenterStatusBadge } from "./labels";
import { Lag } from "./lag";
import { LinkLegend, LinksTable } from "./links-table";
import { QueryError } from "./query-error";

export function ClusterDetail({ refKey }: { refKey: string }) {
  const trpc = useTRPC();
  const query = useQuery(trpc.inventory.getCluster.queryOptions({ ref: refKey }));

  if (!query.data) {
    return (
      <div className="px-5 py-4">
        {query.isError ? <QueryError error={query.error} onRetry={() => void query.refetch()} /> : <p className="text-sm text-zinc-500">Loading…</p>}
      </div>
    );
  }
  const c = query.data;
  const dataCenters = [...new Map(c.instances.map((i) => [i.dataCenter.code, i.dataCenter])).values()];
  const outsidePolicy = c.instances.filter((i) => !c.allowedJurisdictions.includes(i.dataCenter.jurisdictionCode));
  const broken = c.links.filter((l) => l.status === "BROKEN").length;

  return (
    <div className="flex flex-col gap-6 px-5 py-4">
      <PageHeader
        crumbs={[
          { label: "Inventory", href: "/inventory/data-centers" },
          { label: "Clusters", href: "/inventory/clusters" },
          { label: c.name },
        ]}
        title={c.name}
        badges={
          <>
            <TierBadge tier={c.tier} />
            <Badge>
              {ENGINE_LABELS[c.engine]} {c.engineVersion}
            </Badge>
            <JurisdictionPill code={c.homeJurisdiction.code} name={c.homeJurisdiction.name} />
            <HealthIndicator health={c.health} className="text-sm" />
          </>
        }
        description={c.description || undefined}
      />

      <FactList
        items={[
          {
            label: "Team",
            value: (
              <Link href={`/inventory/clusters?team=${encodeURIComponent(c.team.slug)}`} className="text-sky-700 hover:underline dark:text-sky-400">
                {c.team.name}
              </Link>
            ),
          },
          { label: "Tier", value: TIER_HELP[c.tier] },
          { label: "Data", value: <ClassificationLabel classification={c.classification} /> },
          {
            label: "May live in",
            value: (
              <span className="inline-flex flex-wrap gap-1">
                {c.allowedJurisdictions.map((j) => (
                  <JurisdictionPill key={j} code={j} />
                ))}
              </span>
            ),
          },
          { label: "RPO / RTO", value: `${formatDuration(c.rpoSeconds)} / ${formatDuration(c.rtoSeconds)}` },
          {
            label: "Instances",
            value: (
              <span className="inline-flex items-center gap-2">
                <span className="tabular-nums">{formatCount(c.instances.length)}</span>
                <HealthCountsText counts={c.healthCounts} className="text-xs" />
              </span>
            ),
          },
          {
            label: "Data centers",
            value: (
              <span className="inline-flex flex-wrap gap-x-2 font-mono text-xs">
                {dataCenters.map((d) => (
                  <Link key={d.code} href={`/inventory/data-centers/${encodeURIComponent(d.code)}`} className="hover:underline" title={d.name}>
                    {d.code}
                  </Link>
                ))}
              </span>
            ),
          },
          {
            label: "Replication links",
            value: (
              <span className="tabular-nums">
                {formatCount(c.links.length)}
                {broken > 0 ? <span className="ml-1 font-medium text-rose-700 dark:text-rose-400">({broken} broken)</span> : null}
              </span>
            ),
          },
          { label: "Updated", value: <RelativeTime date={c.updatedAt} /> },
        ]}
      />

      {outsidePolicy.length > 0 ? (
        <p role="status" className="rounded-md border border-dashed border-violet-400 bg-violet-50 px-3 py-2 text-sm text-violet-900 dark:bg-violet-950 dark:text-violet-200">
          {outsidePolicy.length} instance{outsidePolicy.length === 1 ? " runs" : "s run"} outside this cluster&apos;s allowed jurisdictions (
          {outsidePolicy.map((i) => i.name).join(", ")}).
        </p>
      ) : null}

      <Section
        title="Residency findings"
        id="cluster-residency"
        description="Open findings of the residency sweep (every minute and after relevant writes): an instance or a link that places this cluster's data outside its allowed jurisdictions. Each closes by itself once the placement is back in policy."
      >
        {c.residencyFindings.length === 0 ? (
          <p className="text-sm text-zinc-500 dark:text-zinc-400">No open residency finding: every instance and link of this cluster is within its allowed jurisdictions.</p>
        ) : (
          <ul className="flex flex-col text-sm" data-testid="cluster-residency-findings">
            {c.residencyFindings.map((f) => (
              <li key={f.id} className="flex flex-col gap-0.5 border-b border-zinc-100 py-1.5 last:border-b-0 dark:border-zinc-800">
                <div className="flex flex-wrap items-center gap-x-3 gap-y-0.5">
                  <span className="inline-flex items-center gap-1 font-medium text-rose-700 dark:text-rose-300">
                    <ResidencyGlyph />
                    {f.subject === "INSTANCE" ? "Instance" : "Link"} <span className="font-mono">{f.subjectName}</span>
                  </span>
                  <span className="inline-flex items-center gap-1">
                    in{" "}
                    <Link href={`/inventory/data-centers/${encodeURIComponent(f.dataCenterCode)}`} className="font-mono hover:underline">
                      {f.dataCenterCode}
                    </Link>{" "}
                    <JurisdictionPill code={f.jurisdictionCode} />
                  </span>
                  <span className="inline-flex items-center gap-1 text-zinc-600 dark:text-zinc-400">
                    allowed:
                    {f.allowedJurisdictions.map((j) => (
                      <JurisdictionPill key={j} code={j} />
                    ))}
                  </span>
                  <span className="text-xs text-zinc-500 dark:text-zinc-400">
                    rule <code>{f.rule}</code> · since <RelativeTime date={f.firstSeenAt} />
                  </span>
                  <Link href={residencyFixHref({ ...f, clusterId: c.id })} className="text-sky-700 hover:underline dark:text-sky-400" title={RESIDENCY_FIX_TITLES[f.fixKind]}>
                    File a change to fix it →
                  </Link>
                </div>
                <p className="text-xs text-zinc-600 dark:text-zinc-400">{f.detail}</p>
              </li>
            ))}
          </ul>
        )}
      </Section>

      <Section
        title="Instances"
        id="cluster-instances"
        description="Lag is the worst link replicating into the instance, flagged above the cluster's RPO."
        actions={
          <Link href={`/inventory/instances?cluster=${encodeURIComponent(c.name)}`} className="text-sm text-sky-700 hover:underline dark:text-sky-400">
            Open in the instances table →
          </Link>
        }
      >
        <TableScroller className="max-h-[28rem]">
          <Table aria-label={`Instances of ${c.name}`}>
            <thead>
              <tr>
                <Th>Instance</Th>
                <Th>Role</Th>
                <Th>Data center</Th>
                <Th>Jurisdiction</Th>
                <Th>Version</Th>
                <Th>Endpoint</Th>
                <Th>Health</Th>
                <Th numeric>Lag</Th>
                <Th>Updated</Th>
              </tr>
            </thead>
            <tbody>
              {c.instances.map((i) => (
                <Tr key={i.id} data-testid="instance-row">
                  <Td>
                    <Link
                      prefetch={false}
                      href={`/inventory/instances/${encodeURIComponent(i.name)}`}
                      className="font-medium text-sky-700 hover:underline dark:text-sky-400"
                    >
                      {i.name}
                    </Link>
                  </Td>
                  <Td>
                    <RoleBadge role={i.role} />
                  </Td>
                  <Td>
                    <span className="inline-flex items-center gap-2">
                      <Link
                        prefetch={false}
                        href={`/inventory/data-centers/${encodeURIComponent(i.dataCenter.code)}`}
                        className="font-mono text-xs hover:underline"
                      >
                        {i.dataCenter.code}
                      </Link>
                      <span className="text-zinc-500 dark:text-zinc-400">{i.dataCenter.city}</span>
                      {i.dataCenter.status !== "ACTIVE" ? <DataCenterStatusBadge status={i.dataCenter.status} /> : null}
                    </span>
                  </Td>
                  <Td>
                    <JurisdictionPill code={i.dataCenter.jurisdictionCode} />
                  </Td>
                  <Td muted>{i.version}</Td>
                  <Td className="max-w-64 truncate font-mono text-xs text-zinc-600 dark:text-zinc-400" title={i.endpoint}>
                    {i.endpoint}
                  </Td>
                  <Td>
                    <HealthIndicator health={i.health} />
                  </Td>
                  <Td numeric>
                    <Lag seconds={i.maxLagSeconds} bytes={i.maxLagBytes} rpoSeconds={c.rpoSeconds} />
                  </Td>
                  <Td muted>
                    <RelativeTime date={i.updatedAt} />
                  </Td>
                </Tr>
              ))}
            </tbody>
          </Table>
        </TableScroller>
        <HealthLegend />
      </Section>

      <Section title="Replication links" id="cluster-links" description="Every link into or out of this cluster's instances, worst lag first.">
        <LinksTable
          links={c.links}
          rpoSeconds={c.rpoSeconds}
          label={`Replication links of ${c.name}`}
          emptyTitle="No replication links"
          emptyText="This cluster's instances do not replicate to or from anything: a single instance, or replicas not linked yet."
        />
        <LinkLegend />
      </Section>
    </div>
  );
}
