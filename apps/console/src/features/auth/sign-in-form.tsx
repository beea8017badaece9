"use client";

import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useId, useRef, useState, type FormEvent } from "react";
import { controlClass } from "@/components/ui/field";
import { buttonClass } from "@/components/ui/button";
import { cn } from "@/lib/cn";
import { signInErrorMessage } from "./sign-in-errors";

export function SignInForm({
  callbackUrl,
  initialError,
  oidcEnabled,
}: {
  callbackUrl: string;
  initialError: string | null;
  oidcEnabled: boolean;
}) {
  const router = useRouter();
  const id = useId();
  const passwordRef = useRef<HTMLInputElement>(null);
  const [error, setError] = useState<string | null>(initialError);
  const [pending, setPending] = useState(false);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setPending(true);
    setError(null);
    try {
      const result = await signIn("credentials", {
        email: String(form.get("email") ?? ""),
        password: String(form.get("password") ?? ""),
        redirect: false,
        callbackUrl,
      });
      if (!result || result.error || !result.ok) {
        setError(signInErrorMessage(result?.error ?? "CredentialsSignin"));
        setPending(false);
        passwordRef.current?.select();
        return;
      }
      router.replace(callbackUrl);
      router.refresh();
    } catch {
      setError("Meridian could not be reached. Check that it is running, then try again.");
      setPending(false);
    }
  }

  const errorId = `${id}-error`;
  return (
    <div className="mt-5 flex flex-col gap-4">
      <form onSubmit={onSubmit} className="flex flex-col gap-4" aria-describedby={error ? errorId : undefined} noValidate={false}>
        <div className="flex flex-col gap-1">
          <label htmlFor={`${id}-email`} className="text-sm font-medium text-zinc-800 dark:text-zinc-200">
            Email
          </label>
          <input
            id={`${id}-email`}
            name="email"
            type="email"
            autoComplete="username"
            required
            autoFocus
            aria-invalid={error ? true : undefined}
            className={cn(controlClass, "h-9")}
          />
        </div>
        <div className="flex flex-col gap-1">
          <label htmlFor={`${id}-password`} className="text-sm font-medium text-zinc-800 dark:text-zinc-200">
            Password
          </label>
          <input
            ref={passwordRef}
            id={`${id}-password`}
            name="password"
            type="password"
            autoComplete="current-password"
            required
            aria-invalid={error ? true : undefined}
            className={cn(controlClass, "h-9")}
          />
        </div>
        {error ? (
          <p
            id={errorId}
            role="alert"
            data-testid="signin-error"
            className="rounded-md border border-rose-200 bg-rose-50 px-3 py-2 text-sm text-rose-800 dark:border-rose-900 dark:bg-rose-950 dark:text-rose-200"
          >
            {error}
          </p>
        ) : null}
        <button type="submit" disabled={pending} className={buttonClass("primary", "h-9 w-full")}>
          {pending ? "Signing in…" : "Sign in"}
        </button>
      </form>
      {oidcEnabled ? (
        <>
          <div className="flex items-center gap-3 text-xs text-zinc-500" aria-hidden="true">
            <span className="h-px flex-1 bg-zinc-200 dark:bg-zinc-800" />
            or
            <span className="h-px flex-1 bg-zinc-200 dark:bg-zinc-800" />
          </div>
          <button
            type="button"
            className={buttonClass("secondary", "h-9 w-full")}
            onClick={() => void signIn("oidc", { callbackUrl })}
          >
            Sign in with single sign-on
          </button>
        </>
      ) : null}
    </div>
  );
}
