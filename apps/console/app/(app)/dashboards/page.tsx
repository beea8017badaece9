import type { Metadata } from "next";
import { NotBuiltYet } from "@/features/placeholder/not-built-yet";
import { requireUser } from "@/server/session";

export const metadata: Metadata = { title: "Dashboards" };

export default async function DashboardsPage() {
  await requireUser();
  return (
    <NotBuiltYet
      title="Dashboards"
      coming={[
        "Fleet health over time, replication lag against SLOs (p50, p95)",
        "Change throughput and failure rate",
        "Residency posture by jurisdiction",
      ]}
    />
  );
}
