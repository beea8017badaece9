import Link from "next/link";
import { PageHeader } from "@/components/ui/page-header";

/** Honest placeholder for a view that is not built yet: what is coming, and where to go now. */
export function NotBuiltYet({ title, coming }: { title: string; coming: string[] }) {
  return (
    <div className="mx-auto flex max-w-3xl flex-col gap-6 px-6 py-8">
      <PageHeader title={title} />
      <section
        aria-labelledby="not-built-title"
        className="rounded-lg border border-dashed border-zinc-300 bg-white p-6 dark:border-zinc-700 dark:bg-zinc-900"
        data-testid="not-built-yet"
      >
        <h2 id="not-built-title" className="text-sm font-semibold text-zinc-900 dark:text-zinc-100">
          {title} is not built yet
        </h2>
        <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
          Nothing on this page is real data yet, so nothing is shown. What is coming:
        </p>
        <ul className="mt-3 list-disc space-y-1 pl-5 text-sm text-zinc-700 dark:text-zinc-300">
          {coming.map((c) => (
            <li key={c}>{c}</li>
          ))}
        </ul>
        <p className="mt-4 text-sm text-zinc-600 dark:text-zinc-400">
          Meanwhile the{" "}
          <Link href="/inventory/data-centers" className="text-sky-700 underline-offset-2 hover:underline dark:text-sky-400">
            inventory
          </Link>{" "}
          lists every data center, cluster and instance with health and replication lag.
        </p>
      </section>
    </div>
  );
}
