"use client";

import { useQuery } from "@tanstack/react-query";
import { buttonClass } from "@/components/ui/button";
import { SelectField } from "@/components/ui/field";
import { CLASSIFICATION_LABELS, ENGINE_LABELS } from "@/features/inventory/labels";
import { useTRPC } from "@/lib/trpc/react";
import { countFilters, type TFleetFilter } from "./fleet-filter";

/**
 * Region, jurisdiction, team, classification and engine: the filters of the map and of the
 * topology's fleet view. Options come from the inventory's filter options (small tables).
 */
export function FleetFilters({ filter, onChange }: { filter: TFleetFilter; onChange: (next: TFleetFilter) => void }) {
  const trpc = useTRPC();
  const options = useQuery({ ...trpc.inventory.filterOptions.queryOptions(), staleTime: 5 * 60_000 });
  const o = options.data;
  const regions = (o?.regions ?? []).filter((r) => !filter.jurisdiction || r.jurisdictionCode === filter.jurisdiction);
  const active = countFilters(filter);

  function set<K extends keyof TFleetFilter>(key: K, value: string) {
    const next: TFleetFilter = { ...filter };
    if (value) next[key] = value as TFleetFilter[K];
    else delete next[key];
    // A region outside the newly chosen jurisdiction would match nothing.
    if (key === "jurisdiction" && next.region && o && !o.regions.some((r) => r.code === next.region && r.jurisdictionCode === value)) {
      delete next.region;
    }
    onChange(next);
  }

  return (
    <form role="search" aria-label="Fleet filters" className="flex flex-wrap items-end gap-2" onSubmit={(e) => e.preventDefault()}>
      <SelectField label="Jurisdiction" name="jurisdiction" value={filter.jurisdiction ?? ""} onChange={(e) => set("jurisdiction", e.target.value)} className="w-36">
        <option value="">All</option>
        {(o?.jurisdictions ?? []).map((j) => (
          <option key={j.code} value={j.code}>
            {j.code} · {j.name}
          </option>
        ))}
        {filter.jurisdiction && o && !o.jurisdictions.some((j) => j.code === filter.jurisdiction) ? <option value={filter.jurisdiction}>{filter.jurisdiction}</option> : null}
      </SelectField>
      <SelectField label="Region" name="region" value={filter.region ?? ""} onChange={(e) => set("region", e.target.value)} className="w-40">
        <option value="">All</option>
        {regions.map((r) => (
          <option key={r.code} value={r.code}>
            {r.name}
          </option>
        ))}
        {filter.region && !regions.some((r) => r.code === filter.region) ? <option value={filter.region}>{filter.region}</option> : null}
      </SelectField>
      <SelectField label="Team" name="team" value={filter.team ?? ""} onChange={(e) => set("team", e.target.value)} className="w-36">
        <option value="">All</option>
        {(o?.teams ?? []).map((t) => (
          <option key={t.slug} value={t.slug}>
            {t.name}
          </option>
        ))}
        {filter.team && o && !o.teams.some((t) => t.slug === filter.team) ? <option value={filter.team}>{filter.team}</option> : null}
      </SelectField>
      <SelectField label="Classification" name="classification" value={filter.classification ?? ""} onChange={(e) => set("classification", e.target.value)} className="w-36">
        <option value="">Any</option>
        {(Object.keys(CLASSIFICATION_LABELS) as (keyof typeof CLASSIFICATION_LABELS)[]).map((c) => (
          <option key={c} value={c}>
            {CLASSIFICATION_LABELS[c]}
          </option>
        ))}
      </SelectField>
      <SelectField label="Engine" name="engine" value={filter.engine ?? ""} onChange={(e) => set("engine", e.target.value)} className="w-32">
        <option value="">Any</option>
        {(Object.keys(ENGINE_LABELS) as (keyof typeof ENGINE_LABELS)[]).map((e) => (
          <option key={e} value={e}>
            {ENGINE_LABELS[e]}
          </option>
        ))}
      </SelectField>
      {active > 0 ? (
        <button type="button" onClick={() => onChange({})} className={buttonClass("ghost", "h-8 text-xs")}>
          Clear {active === 1 ? "filter" : `${active} filters`}
        </button>
      ) : null}
    </form>
  );
}
