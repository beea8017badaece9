"use client";

import { buttonClass } from "@/components/ui/button";

function describe(error: unknown): { title: string; detail: string } {
  const code = (error as { data?: { code?: string } } | null)?.data?.code;
  if (code === "UNAUTHORIZED") return { title: "Your session has ended", detail: "Sign in again to continue." };
  if (code === "FORBIDDEN") return { title: "Not allowed", detail: "Your roles do not allow this view. Ask an administrator if you need it." };
  if (code === "NOT_FOUND") return { title: "Not found", detail: "It may have been renamed or removed." };
  return {
    title: "Could not load this view",
    detail: "The server did not answer as expected. Retry; if it keeps failing, check the server log.",
  };
}

export function QueryError({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { title, detail } = describe(error);
  return (
    <div role="alert" className="rounded-md border border-rose-200 bg-rose-50 p-4 text-sm text-rose-900 dark:border-rose-900 dark:bg-rose-950 dark:text-rose-200">
      <p className="font-medium">{title}</p>
      <p className="mt-1">{detail}</p>
      {onRetry ? (
        <button type="button" onClick={onRetry} className={buttonClass("secondary", "mt-3")}>
          Retry
        </button>
      ) : null}
    </div>
  );
}
