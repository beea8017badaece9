import type { Metadata } from "next";
import { NotBuiltYet } from "@/features/placeholder/not-built-yet";
import { requireUser } from "@/server/session";

export const metadata: Metadata = { title: "Topology" };

export default async function TopologyPage() {
  await requireUser();
  return (
    <NotBuiltYet
      title="Topology"
      coming={[
        "A replication graph per cluster: instances as nodes (role, health), links as edges with live lag",
        "Highlighting of broken and lagging links, and of links that cross jurisdictions",
        "A legend for every encoding and a data table beside the graph",
      ]}
    />
  );
}
