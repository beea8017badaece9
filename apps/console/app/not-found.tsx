import Link from "next/link";

export default function NotFound() {
  return (
    <main className="flex min-h-full flex-col items-center justify-center gap-3 p-10 text-center">
      <p className="font-mono text-sm text-zinc-500">404</p>
      <h1 className="text-lg font-semibold">Nothing here</h1>
      <p className="max-w-md text-sm text-zinc-600 dark:text-zinc-400">
        The page or record you asked for does not exist: it may have been renamed or removed, or the link is mistyped.
      </p>
      <Link href="/inventory/data-centers" className="text-sm text-sky-700 underline-offset-2 hover:underline dark:text-sky-400">
        Go to the inventory
      </Link>
    </main>
  );
}
