"use client";

import { useMutation } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import type { TChangeRequestDetail } from "@meridian/api/client";
import { Button } from "@/components/ui/button";
import { RelativeTime } from "@/components/ui/relative-time";
import { useTRPC } from "@/lib/trpc/react";
import { inputClass } from "./form-field";
import { useRefreshChange } from "./use-change-mutations";

export function CommentThread({ detail }: { detail: TChangeRequestDetail }) {
  const trpc = useTRPC();
  const id = useId();
  const refresh = useRefreshChange(detail.number);
  const [body, setBody] = useState("");
  const [error, setError] = useState<string | null>(null);
  const comment = useMutation(trpc.changes.comment.mutationOptions());

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    if (!body.trim()) {
      setError("Write something first.");
      return;
    }
    comment.mutate(
      { number: detail.number, body: body.trim() },
      {
        onSuccess: async () => {
          setBody("");
          setError(null);
          await refresh();
        },
        onError: (err) => setError(err.data?.fieldErrors?.body?.join(" ") ?? err.message),
      },
    );
  }

  return (
    <section aria-labelledby={`${id}-title`} className="flex flex-col gap-3">
      <h2 id={`${id}-title`} className="text-sm font-semibold">
        Discussion ({detail.comments.length})
      </h2>
      {detail.comments.length === 0 ? <p className="text-sm text-zinc-500">No comment yet.</p> : null}
      <ol className="flex flex-col gap-2">
        {detail.comments.map((c) => (
          <li key={c.id} className="rounded-md border border-zinc-200 bg-white px-3 py-2 dark:border-zinc-800 dark:bg-zinc-900" data-testid="comment">
            <p className="text-xs text-zinc-600 dark:text-zinc-400">
              <span className="font-medium text-zinc-900 dark:text-zinc-100">{c.author.name}</span> · <RelativeTime date={c.createdAt} />
            </p>
            <p className="mt-0.5 whitespace-pre-wrap text-sm text-zinc-800 dark:text-zinc-200">{c.body}</p>
          </li>
        ))}
      </ol>
      {detail.actions.canComment ? (
        <form onSubmit={onSubmit} className="flex flex-col gap-2">
          <label htmlFor={`${id}-body`} className="text-sm font-medium">
            Add a comment
          </label>
          <textarea id={`${id}-body`} rows={3} value={body} onChange={(e) => setBody(e.target.value)} maxLength={4000} className={inputClass} aria-invalid={Boolean(error)} />
          {error ? <p className="text-sm text-rose-700 dark:text-rose-400">{error}</p> : null}
          <div>
            <Button type="submit" disabled={comment.isPending}>
              {comment.isPending ? "Posting…" : "Comment"}
            </Button>
          </div>
        </form>
      ) : null}
    </section>
  );
}
