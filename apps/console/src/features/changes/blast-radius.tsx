import Link from "next/link";
import type { TChangeRequestDetail, TClusterTopology } from "@meridian/api/client";
import { Badge, JurisdictionPill } from "@/components/ui/badge";
import { HealthIndicator, type THealth } from "@/components/ui/health";
import { FactList } from "@/components/ui/section";
import { Table, TableScroller, Td, Th, Tr } from "@/components/ui/table";
import { formatDuration, formatLag } from "@/lib/format";

type TPreview = NonNullable<TChangeRequestDetail["preview"]>;

const CHANGE_WORDS: Record<string, string> = {
  added: "added",
  removed: "removed",
  promoted: "promoted to primary",
  demoted: "demoted",
  fenced: "writes fenced",
  repointed: "follows a new source",
  schema: "schema changed",
  detached: "detached",
  source: "feeds a new link",
  linked: "receives a new link",
  unlinked: "loses its feed",
  "hosts-change": "hosts a change",
  draining: "draining",
};

function Changes({ changes }: { changes: string[] }) {
  return (
    <span className="flex flex-wrap gap-1">
      {changes.map((c) => (
        <Badge key={c} tone={c === "removed" || c === "detached" ? "failed" : c === "added" ? "active" : "waiting"}>
          {CHANGE_WORDS[c] ?? c}
        </Badge>
      ))}
    </span>
  );
}

/** Before and after, instance by instance: what the topology looks like once the plan ran. */
function TopologyDiff({ before, after }: { before: TClusterTopology; after: TClusterTopology | undefined }) {
  const afterById = new Map((after?.instances ?? []).map((i) => [i.id, i]));
  const beforeIds = new Set(before.instances.map((i) => i.id));
  const rows = [
    ...before.instances.map((b) => ({ b, a: afterById.get(b.id) })),
    ...(after?.instances ?? []).filter((a) => !beforeIds.has(a.id)).map((a) => ({ b: undefined, a })),
  ];
  const linkKey = (l: { source: string; target: string }) => `${l.source}→${l.target}`;
  const beforeLinks = new Set(before.links.map(linkKey));
  const afterLinks = new Set((after?.links ?? []).map(linkKey));
  const links = [...new Set([...beforeLinks, ...afterLinks])].sort();
  const linkOf = (key: string) => [...before.links, ...(after?.links ?? [])].find((l) => linkKey(l) === key)!;
  return (
    <div className="flex flex-col gap-2" data-testid="topology-diff">
      <h4 className="text-sm font-medium">
        <Link href={`/topology?cluster=${encodeURIComponent(before.clusterName)}`} className="hover:underline">
          {before.clusterName}
        </Link>
      </h4>
      <TableScroller>
        <Table aria-label={`Instances of ${before.clusterName} before and after`}>
          <thead>
            <tr>
              <Th>Instance</Th>
              <Th>Before</Th>
              <Th>After</Th>
              <Th>Data center</Th>
            </tr>
          </thead>
          <tbody>
            {rows.map(({ b, a }) => {
              const changed = !b || !a || b.role !== a.role;
              return (
                <Tr key={(b ?? a)!.id} className={changed ? "bg-amber-50/60 dark:bg-amber-500/5" : undefined}>
                  <Td className="font-mono text-xs">
                    {!b ? <span aria-label="added">+ </span> : !a ? <span aria-label="removed">− </span> : changed ? <span aria-label="changed">~ </span> : null}
                    {(b ?? a)!.name}
                  </Td>
                  <Td>{b ? <span className="inline-flex items-center gap-2">{b.role.toLowerCase()} <HealthIndicator health={b.health as THealth} hideLabel /></span> : <span className="text-zinc-400">—</span>}</Td>
                  <Td>{a ? a.role.toLowerCase() : <span className="text-rose-700 dark:text-rose-400">removed</span>}</Td>
                  <Td>
                    <span className="font-mono text-xs">{(b ?? a)!.dataCenterCode}</span> <JurisdictionPill code={(b ?? a)!.jurisdiction} />
                  </Td>
                </Tr>
              );
            })}
          </tbody>
        </Table>
      </TableScroller>
      {links.length ? (
        <ul className="flex flex-col gap-0.5 text-xs text-zinc-700 dark:text-zinc-300" aria-label={`Replication links of ${before.clusterName}`}>
          {links.map((key) => {
            const l = linkOf(key);
            const state = beforeLinks.has(key) && afterLinks.has(key) ? "kept" : beforeLinks.has(key) ? "removed" : "added";
            return (
              <li key={key} className="font-mono">
                {state === "added" ? "+ " : state === "removed" ? "− " : "  "}
                {l.source} → {l.target} <span className="text-zinc-500">({l.mode.toLowerCase()}{l.crossesJurisdiction ? ", crosses a border" : ""})</span>
                {state !== "kept" ? <span className={state === "added" ? "text-emerald-700 dark:text-emerald-400" : "text-rose-700 dark:text-rose-400"}> {state}</span> : null}
              </li>
            );
          })}
        </ul>
      ) : null}
    </div>
  );
}

export function BlastRadius({ preview }: { preview: TPreview }) {
  const br = preview.blastRadius;
  const names = new Map(preview.topology.before.flatMap((c) => c.instances.map((i) => [i.id, i.name] as const)));
  for (const c of preview.topology.after) for (const i of c.instances) if (!names.has(i.id)) names.set(i.id, i.name);
  const dcCode = new Map(br.dataCenters.map((d) => [d.id, d.code]));
  return (
    <div className="flex flex-col gap-4" data-testid="blast-radius">
      <FactList
        items={[
          { label: "Clusters", value: br.clusters.map((c) => c.name).join(", ") || "—", wide: true },
          { label: "Teams", value: br.teams.join(", ") || "—" },
          {
            label: "Jurisdictions",
            value: (
              <span className="flex flex-wrap gap-1">
                {br.jurisdictions.map((j) => (
                  <JurisdictionPill key={j} code={j} />
                ))}
              </span>
            ),
          },
          { label: "Expected write downtime", value: br.expectedDowntimeSeconds > 0 ? formatDuration(br.expectedDowntimeSeconds) : "none" },
          { label: "Expected lag", value: formatLag(br.expectedLagSeconds) },
        ]}
      />
      <div className="grid gap-4 lg:grid-cols-2">
        <div className="flex flex-col gap-1">
          <h3 className="text-sm font-semibold">Data centers touched</h3>
          <ul className="flex flex-wrap gap-1.5">
            {br.dataCenters.map((d) => (
              <li key={d.id}>
                <Link href={`/map?dc=${encodeURIComponent(d.code)}`} className="inline-flex items-center gap-1 rounded border border-zinc-200 px-1.5 py-0.5 text-xs hover:bg-zinc-50 dark:border-zinc-700 dark:hover:bg-zinc-800">
                  <span className="font-mono">{d.code}</span> <JurisdictionPill code={d.jurisdiction} /> <span className="text-zinc-500">{d.changes.map((c) => CHANGE_WORDS[c] ?? c).join(", ")}</span>
                </Link>
              </li>
            ))}
          </ul>
        </div>
        <div className="flex flex-col gap-1">
          <h3 className="text-sm font-semibold">Links</h3>
          {br.links.length ? (
            <ul className="flex flex-col gap-1 text-xs">
              {br.links.map((l) => (
                <li key={l.id} className="flex flex-wrap items-center gap-1.5">
                  <span className="font-mono">
                    {names.get(l.sourceId) ?? l.sourceId.slice(0, 8)} → {names.get(l.targetId) ?? l.targetId.slice(0, 8)}
                  </span>
                  <Changes changes={l.changes} />
                </li>
              ))}
            </ul>
          ) : (
            <p className="text-xs text-zinc-500">No replication link changes.</p>
          )}
        </div>
      </div>
      <div className="flex flex-col gap-1">
        <h3 className="text-sm font-semibold">Instances touched</h3>
        <TableScroller>
          <Table aria-label="Instances touched">
            <thead>
              <tr>
                <Th>Instance</Th>
                <Th>Data center</Th>
                <Th>What happens</Th>
              </tr>
            </thead>
            <tbody>
              {br.instances.map((i) => (
                <Tr key={i.id} data-testid="blast-instance">
                  <Td className="font-mono text-xs">{i.name}</Td>
                  <Td className="font-mono text-xs">{dcCode.get(i.dataCenterId) ?? "—"}</Td>
                  <Td>
                    <Changes changes={i.changes} />
                  </Td>
                </Tr>
              ))}
            </tbody>
          </Table>
        </TableScroller>
      </div>
      <div className="flex flex-col gap-3">
        <h3 className="text-sm font-semibold">Topology before and after</h3>
        {preview.topology.before.map((c) => (
          <TopologyDiff key={c.clusterId} before={c} after={preview.topology.after.find((a) => a.clusterId === c.clusterId)} />
        ))}
      </div>
    </div>
  );
}
