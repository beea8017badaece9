import type { Metadata } from "next";
import Link from "next/link";
import { can } from "@meridian/policy";
import { PageHeader } from "@/components/ui/page-header";
import { ApiTokensView } from "@/features/tokens/api-tokens-view";
import { getQueryClient, HydrateClient, trpc } from "@/lib/trpc/server";
import { requireUser } from "@/server/session";

export const metadata: Metadata = { title: "API tokens" };

export default async function ApiTokensPage() {
  const user = await requireUser();
  const allowed = can(user.roles, "apiToken.read");
  if (allowed) {
    await Promise.all([
      getQueryClient().prefetchQuery(trpc.tokens.list.queryOptions({})),
      getQueryClient().prefetchQuery(trpc.tokens.formOptions.queryOptions()),
    ]);
  }
  return (
    <div className="flex flex-col gap-4 px-6 py-5">
      <PageHeader
        crumbs={[{ label: "Settings" }, { label: "API tokens" }]}
        title="API tokens"
        description="Tokens let a team's pipelines use the team API (/api/v1) and the meridian CLI. A token acts as its team, files changes only for its clusters and never approves."
      />
      <p className="text-sm">
        <Link className="text-sky-700 underline dark:text-sky-300" href="/api-reference">
          API reference
        </Link>{" "}
        ·{" "}
        <a className="text-sky-700 underline dark:text-sky-300" href="/api/v1/openapi.json">
          OpenAPI document
        </a>{" "}
        ·{" "}
        <a className="text-sky-700 underline dark:text-sky-300" href="/api/v1/change-file.schema.json">
          Change file JSON Schema
        </a>
      </p>
      {allowed ? (
        <HydrateClient>
          <ApiTokensView />
        </HydrateClient>
      ) : (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">Only team approvers and administrators manage API tokens.</p>
      )}
    </div>
  );
}
