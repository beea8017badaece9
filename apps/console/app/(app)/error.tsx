"use client";

import { useEffect } from "react";
import { Button } from "@/components/ui/button";

export default function AppError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  useEffect(() => {
    console.error(error);
  }, [error]);
  return (
    <div className="px-5 py-8">
      <div role="alert" className="max-w-xl rounded-md border border-rose-200 bg-rose-50 p-4 text-sm text-rose-900 dark:border-rose-900 dark:bg-rose-950 dark:text-rose-200">
        <p className="font-medium">This view failed to load</p>
        <p className="mt-1">
          The server hit an error. Retry; if it keeps failing, the server log has the details
          {error.digest ? (
            <>
              {" "}
              under reference <code className="font-mono">{error.digest}</code>
            </>
          ) : null}
          .
        </p>
        <Button className="mt-3" onClick={reset}>
          Retry
        </Button>
      </div>
    </div>
  );
}
