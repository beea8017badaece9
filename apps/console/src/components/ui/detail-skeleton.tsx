/** Placeholder while a detail page loads: the page's shape, not a bare spinner. */
export function DetailSkeleton({ what }: { what: string }) {
  return (
    <div className="flex flex-col gap-6 px-5 py-4" aria-busy="true">
      <p className="sr-only" role="status">
        Loading {what}…
      </p>
      <div className="flex flex-col gap-2" aria-hidden="true">
        <div className="h-3 w-48 animate-pulse rounded bg-zinc-200 dark:bg-zinc-800" />
        <div className="h-6 w-80 animate-pulse rounded bg-zinc-200 dark:bg-zinc-800" />
      </div>
      <div className="h-28 animate-pulse rounded-md border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900" aria-hidden="true" />
      <div className="flex flex-col gap-2" aria-hidden="true">
        <div className="h-4 w-56 animate-pulse rounded bg-zinc-200 dark:bg-zinc-800" />
        <div className="h-64 animate-pulse rounded-md border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900" />
      </div>
    </div>
  );
}
