import type { Metadata } from "next";
import Link from "next/link";
import { changeSchemas } from "@meridian/api";
import { can } from "@meridian/policy";
import { buttonClass } from "@/components/ui/button";
import { ChangesView } from "@/features/changes/changes-view";
import { parseListSearchParams, type TSearchParams } from "@/features/inventory/search-params";
import { getQueryClient, HydrateClient, trpc } from "@/lib/trpc/server";
import { requireUser } from "@/server/session";

export const metadata: Metadata = { title: "Changes" };

export default async function ChangesPage({ searchParams }: { searchParams: Promise<TSearchParams> }) {
  const user = await requireUser();
  const input = parseListSearchParams(changeSchemas.ZListChangeRequestsRequestSchema, await searchParams);
  await getQueryClient().prefetchQuery(trpc.changes.list.queryOptions(input));
  return (
    <div className="flex h-full min-h-0 flex-col gap-3 px-5 pb-3 pt-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-lg font-semibold tracking-tight text-zinc-900 dark:text-zinc-50">Changes</h1>
          <p className="text-sm text-zinc-600 dark:text-zinc-400">
            Every change to the fleet is filed, planned, scored for risk and residency, and approved before it runs.
          </p>
        </div>
        <div className="flex items-center gap-2">
          <Link href="/changes/calendar" className={buttonClass("secondary")}>
            Windows &amp; freezes
          </Link>
          {can(user.roles, "changeRequest.create") ? (
            <Link href="/changes/new" className={buttonClass("primary")} data-testid="new-change">
              New change
            </Link>
          ) : null}
        </div>
      </div>
      <HydrateClient>
        <ChangesView input={input} />
      </HydrateClient>
    </div>
  );
}
