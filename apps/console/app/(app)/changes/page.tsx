import type { Metadata } from "next";
import { NotBuiltYet } from "@/features/placeholder/not-built-yet";
import { requireUser } from "@/server/session";

export const metadata: Metadata = { title: "Changes" };

export default async function ChangesPage() {
  await requireUser();
  return (
    <NotBuiltYet
      title="Changes"
      coming={[
        "Change requests (add a replica, add a link, move a primary region, schema change, drain a data center)",
        "The computed plan, risk level with reasons, and residency verdict before approval",
        "Executions followed live, step n of m, with pause, retry and rollback",
      ]}
    />
  );
}
