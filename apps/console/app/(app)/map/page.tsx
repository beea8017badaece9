import type { Metadata } from "next";
import { NotBuiltYet } from "@/features/placeholder/not-built-yet";
import { requireUser } from "@/server/session";

export const metadata: Metadata = { title: "Map" };

export default async function MapPage() {
  await requireUser();
  return (
    <NotBuiltYet
      title="Map"
      coming={[
        "A world map of every data center, coloured and shaped by health roll-up, with capacity on hover",
        "Cross-data-center replication links drawn as arcs, with a distinct dash where they cross jurisdictions",
        "Filters by jurisdiction, region and team, shared through the URL",
      ]}
    />
  );
}
