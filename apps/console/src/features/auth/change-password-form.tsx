"use client";

import { useRouter } from "next/navigation";
import { useId, useState, type FormEvent } from "react";
import { buttonClass } from "@/components/ui/button";
import { controlClass } from "@/components/ui/field";
import { cn } from "@/lib/cn";

type TFieldErrors = Partial<Record<"currentPassword" | "newPassword" | "confirm", string[]>>;

export function ChangePasswordForm() {
  const router = useRouter();
  const id = useId();
  const [error, setError] = useState<string | null>(null);
  const [fields, setFields] = useState<TFieldErrors>({});
  const [pending, setPending] = useState(false);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const currentPassword = String(form.get("currentPassword") ?? "");
    const newPassword = String(form.get("newPassword") ?? "");
    if (newPassword !== String(form.get("confirm") ?? "")) {
      setFields({ confirm: ["The two new passwords differ"] });
      setError(null);
      return;
    }
    setPending(true);
    setError(null);
    setFields({});
    try {
      const res = await fetch("/api/account/password", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ currentPassword, newPassword }),
      });
      if (res.ok) {
        router.replace("/");
        router.refresh();
        return;
      }
      const body = (await res.json().catch(() => ({}))) as { message?: string; fieldErrors?: TFieldErrors | null };
      setFields(body.fieldErrors ?? {});
      setError(body.message ?? "The password could not be changed.");
    } catch {
      setError("Meridian could not be reached. Check that it is running, then try again.");
    }
    setPending(false);
  }

  const field = (name: keyof TFieldErrors, label: string, autoComplete: string) => (
    <div className="flex flex-col gap-1">
      <label htmlFor={`${id}-${name}`} className="text-sm font-medium text-zinc-800 dark:text-zinc-200">
        {label}
      </label>
      <input
        id={`${id}-${name}`}
        name={name}
        type="password"
        autoComplete={autoComplete}
        required
        aria-invalid={fields[name] ? true : undefined}
        aria-describedby={fields[name] ? `${id}-${name}-error` : undefined}
        className={cn(controlClass, "h-9")}
      />
      {fields[name] ? (
        <p id={`${id}-${name}-error`} className="text-xs text-rose-700 dark:text-rose-300">
          {fields[name].join(". ")}
        </p>
      ) : null}
    </div>
  );

  return (
    <form onSubmit={onSubmit} className="mt-5 flex flex-col gap-4">
      {field("currentPassword", "Current password", "current-password")}
      {field("newPassword", "New password (at least 12 characters)", "new-password")}
      {field("confirm", "New password again", "new-password")}
      {error ? (
        <p role="alert" data-testid="change-password-error" className="rounded-md border border-rose-200 bg-rose-50 px-3 py-2 text-sm text-rose-800 dark:border-rose-900 dark:bg-rose-950 dark:text-rose-200">
          {error}
        </p>
      ) : null}
      <button type="submit" disabled={pending} className={buttonClass("primary", "h-9 w-full")}>
        {pending ? "Saving…" : "Save the new password"}
      </button>
    </form>
  );
}
