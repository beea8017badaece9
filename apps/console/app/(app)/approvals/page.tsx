import type { Metadata } from "next";
import { NotBuiltYet } from "@/features/placeholder/not-built-yet";
import { requireUser } from "@/server/session";

export const metadata: Metadata = { title: "Approvals" };

export default async function ApprovalsPage() {
  await requireUser();
  return (
    <NotBuiltYet
      title="Approvals"
      coming={[
        "Requests waiting for you, by stage and quorum",
        "Separation of duties enforced: nobody approves their own request; high risk needs two DBAs",
        "Approvals tied to the exact plan they approved",
      ]}
    />
  );
}
