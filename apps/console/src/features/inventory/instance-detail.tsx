"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { Badge, JurisdictionPill } from "@/components/ui/badge";
import { HealthIndicator, HealthLegend } from "@/components/ui/health";
import { PageHeader } from "@/components/ui/page-header";
import { RelativeTime } from "@/components/ui/relative-time";
import { FactList, Section } from "@/components/ui/section";
import { Table, TableScroller, Td, Th, Tr } from "@/components/ui/table";
import { useTRPC } from "@/lib/trpc/react";
import { ClassificationLabel, DataCenterStatusBadge, ENGINE_LABELS, RoleBadge, TierBadge } from "./labels";
import { LinkLegend, LinksTable } from "./links-table";
import { QueryError } from "./query-error";
import { InstanceMonitoring } from "./instance-monitoring";
import { DriftMark } from "@/features/map/drift-mark";

const DRIVER_LABELS = { SIMULATED: "Simulated", POSTGRES: "PostgreSQL (SQL)", MYSQL: "MySQL" } as const;

export function InstanceDetail({ refKey, canManageCredential = false }: { refKey: string; canManageCredential?: boolean }) {
  const trpc = useTRPC();
  // Real servers are polled by the health collector: follow it (one cycle is 5 s by default).
  const query = useQuery({
    ...trpc.inventory.getInstance.queryOptions({ ref: refKey }),
    refetchInterval: (q) => (q.state.data?.driver === "POSTGRES" ? 5_000 : false),
  });

  if (!query.data) {
    return (
      <div className="px-5 py-4">
        {query.isError ? <QueryError error={query.error} onRetry={() => void query.refetch()} /> : <p className="text-sm text-zinc-500">Loading…</p>}
      </div>
    );
  }
  const i = query.data;
  const outsidePolicy = !i.cluster.allowedJurisdictions.includes(i.dataCenter.jurisdictionCode);

  return (
    <div className="flex flex-col gap-6 px-5 py-4">
      <PageHeader
        crumbs={[
          { label: "Inventory", href: "/inventory/data-centers" },
          { label: "Instances", href: "/inventory/instances" },
          { label: i.cluster.name, href: `/inventory/clusters/${encodeURIComponent(i.cluster.name)}` },
          { label: i.name },
        ]}
        title={i.name}
        badges={
          <>
            <RoleBadge role={i.role} />
            <HealthIndicator health={i.health} className="text-sm" />
            <JurisdictionPill code={i.dataCenter.jurisdictionCode} />
            <DriftMark count={i.drift.length} className="text-sm" />
            {i.driver === "SIMULATED" ? (
              <Badge title="Part of the simulated demo fleet: changes act on a simulation, not a real server">simulated</Badge>
            ) : null}
          </>
        }
      />

      <FactList
        items={[
          {
            label: "Cluster",
            value: (
              <Link href={`/inventory/clusters/${encodeURIComponent(i.cluster.name)}`} className="text-sky-700 hover:underline dark:text-sky-400">
                {i.cluster.name}
              </Link>
            ),
          },
          { label: "Team", value: i.cluster.team.name },
          {
            label: "Engine",
            value: `${ENGINE_LABELS[i.cluster.engine]} ${i.version}`,
          },
          {
            label: "Tier · data",
            value: (
              <span className="inline-flex items-center gap-2">
                <TierBadge tier={i.cluster.tier} />
                <ClassificationLabel classification={i.cluster.classification} />
              </span>
            ),
          },
          {
            label: "Data center",
            value: (
              <span className="inline-flex flex-wrap items-center gap-2">
                <Link href={`/inventory/data-centers/${encodeURIComponent(i.dataCenter.code)}`} className="font-mono text-sky-700 hover:underline dark:text-sky-400">
                  {i.dataCenter.code}
                </Link>
                <span className="text-zinc-600 dark:text-zinc-400">
                  {i.dataCenter.city}, {i.dataCenter.country}
                </span>
                {i.dataCenter.status !== "ACTIVE" ? <DataCenterStatusBadge status={i.dataCenter.status} /> : null}
              </span>
            ),
          },
          { label: "Region", value: i.dataCenter.regionCode },
          { label: "Endpoint", value: <span className="break-all font-mono text-xs">{i.endpoint}</span>, wide: true },
          { label: "Driver", value: DRIVER_LABELS[i.driver] },
          { label: "Created", value: <RelativeTime date={i.createdAt} /> },
          { label: "Updated", value: <RelativeTime date={i.updatedAt} /> },
        ]}
      />

      {outsidePolicy ? (
        <p role="status" className="rounded-md border border-dashed border-violet-400 bg-violet-50 px-3 py-2 text-sm text-violet-900 dark:bg-violet-950 dark:text-violet-200">
          This instance runs in {i.dataCenter.jurisdictionCode}, outside the jurisdictions its cluster&apos;s data may live in (
          {i.cluster.allowedJurisdictions.join(", ")}).
        </p>
      ) : null}

      {i.driver === "POSTGRES" ? <InstanceMonitoring instance={i} canManageCredential={canManageCredential} /> : null}

      <Section title="Replicating into this instance" id="instance-links-in" description="Links for which this instance is the target.">
        <LinksTable
          links={i.incomingLinks}
          rpoSeconds={i.cluster.rpoSeconds}
          label={`Links into ${i.name}`}
          emptyTitle="Nothing replicates into this instance"
          emptyText={i.role === "PRIMARY" ? "It is the primary: it takes writes and is the source of its cluster's replication." : "No replication link targets it yet."}
        />
      </Section>

      <Section title="Replicating out of this instance" id="instance-links-out" description="Links for which this instance is the source.">
        <LinksTable
          links={i.outgoingLinks}
          rpoSeconds={i.cluster.rpoSeconds}
          label={`Links out of ${i.name}`}
          emptyTitle="Nothing replicates from this instance"
          emptyText="No replica or cross-DC sync reads from it."
        />
        <LinkLegend />
      </Section>

      <Section title={`Other members of ${i.cluster.name}`} id="instance-peers">
        {i.peers.length === 0 ? (
          <p className="text-sm text-zinc-600 dark:text-zinc-400">It is the only instance of its cluster.</p>
        ) : (
          <TableScroller className="max-h-80">
            <Table aria-label={`Other members of ${i.cluster.name}`}>
              <thead>
                <tr>
                  <Th>Instance</Th>
                  <Th>Role</Th>
                  <Th>Data center</Th>
                  <Th>Jurisdiction</Th>
                  <Th>Health</Th>
                </tr>
              </thead>
              <tbody>
                {i.peers.map((p) => (
                  <Tr key={p.id}>
                    <Td>
                      <Link prefetch={false} href={`/inventory/instances/${encodeURIComponent(p.name)}`} className="text-sky-700 hover:underline dark:text-sky-400">
                        {p.name}
                      </Link>
                    </Td>
                    <Td>
                      <RoleBadge role={p.role} />
                    </Td>
                    <Td className="font-mono text-xs">
                      <Link prefetch={false} href={`/inventory/data-centers/${encodeURIComponent(p.dataCenterCode)}`} className="hover:underline">
                        {p.dataCenterCode}
                      </Link>
                    </Td>
                    <Td>
                      <JurisdictionPill code={p.jurisdictionCode} />
                    </Td>
                    <Td>
                      <HealthIndicator health={p.health} />
                    </Td>
                  </Tr>
                ))}
              </tbody>
            </Table>
          </TableScroller>
        )}
        <HealthLegend />
      </Section>
    </div>
  );
}
