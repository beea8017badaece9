import type { Metadata } from "next";
import { NotBuiltYet } from "@/features/placeholder/not-built-yet";
import { requireUser } from "@/server/session";

export const metadata: Metadata = { title: "Audit" };

export default async function AuditPage() {
  await requireUser();
  return (
    <NotBuiltYet
      title="Audit"
      coming={[
        "The append-only audit trail, each event chained to the previous one by hash",
        "Who did what, when, with the before and after of each change",
        "Filters by actor, action and target, and an export",
      ]}
    />
  );
}
