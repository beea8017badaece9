import type { Metadata } from "next";
import { can } from "@meridian/policy";
import { PageHeader } from "@/components/ui/page-header";
import { CalendarView } from "@/features/changes/calendar-view";
import { HydrateClient } from "@/lib/trpc/server";
import { requireUser } from "@/server/session";

export const metadata: Metadata = { title: "Windows and freezes" };

type TProps = { searchParams: Promise<Record<string, string | string[] | undefined>> };

/** `/changes/calendar?month=2026-12`: maintenance windows and change freezes. */
export default async function CalendarPage({ searchParams }: TProps) {
  const user = await requireUser();
  const raw = (await searchParams).month;
  const value = Array.isArray(raw) ? raw[0] : raw;
  const month = value && /^\d{4}-(0[1-9]|1[0-2])$/.test(value) ? value : new Date().toISOString().slice(0, 7);
  return (
    <div className="flex flex-col gap-4 px-6 py-5">
      <PageHeader
        crumbs={[{ label: "Changes", href: "/changes" }, { label: "Windows and freezes" }]}
        title="Maintenance windows and change freezes"
        description="A request may ask for a window; a freeze forbids changes, fleet-wide or in one data center, and wins over any window."
      />
      <HydrateClient>
        <CalendarView month={month} canManage={can(user.roles, "schedule.manage")} />
      </HydrateClient>
    </div>
  );
}
