import type { Metadata } from "next";
import { can } from "@meridian/policy";
import { RegisterInstanceForm } from "@/features/inventory/register-instance-form";
import { requireUser } from "@/server/session";

export const metadata: Metadata = { title: "Register instance · Inventory" };

/** `/inventory/register-instance`: admins and DBAs register an existing PostgreSQL server. */
export default async function RegisterInstancePage() {
  const user = await requireUser();
  if (!can(user.roles, "instance.register")) {
    return (
      <div className="px-5 py-4 text-sm text-zinc-700 dark:text-zinc-300">
        <h1 className="mb-1 text-lg font-semibold">Not allowed</h1>
        Registering a server needs the administrator or DBA role.
      </div>
    );
  }
  return <RegisterInstanceForm />;
}
