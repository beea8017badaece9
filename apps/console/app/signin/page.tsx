import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SignInForm } from "@/features/auth/sign-in-form";
import { signInErrorMessage } from "@/features/auth/sign-in-errors";
import { isOidcEnabled } from "@/server/auth";
import { getCurrentUser, safeCallbackUrl } from "@/server/session";

export const metadata: Metadata = { title: "Sign in" };

type TSearchParams = Promise<Record<string, string | string[] | undefined>>;

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

export default async function SignInPage({ searchParams }: { searchParams: TSearchParams }) {
  const params = await searchParams;
  const callbackUrl = safeCallbackUrl(first(params.callbackUrl));
  if (await getCurrentUser()) redirect(callbackUrl);

  const initialError = signInErrorMessage(first(params.error));

  return (
    <main className="flex min-h-full items-center justify-center px-4 py-12">
      <div className="w-full max-w-sm">
        <div className="mb-6 flex items-center gap-2">
          <svg viewBox="0 0 20 20" className="size-6 text-sky-600 dark:text-sky-400" fill="none" stroke="currentColor" strokeWidth="1.6" aria-hidden="true">
            <circle cx="10" cy="10" r="7.5" />
            <path d="M10 2.5v15M2.5 10c2.5 1.6 5 2.4 7.5 2.4s5-.8 7.5-2.4" />
          </svg>
          <span className="text-base font-semibold tracking-tight">Meridian</span>
        </div>
        <div className="rounded-lg border border-zinc-200 bg-white p-6 shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
          <h1 className="text-lg font-semibold tracking-tight">Sign in</h1>
          <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">The control plane for the database fleet.</p>
          <SignInForm callbackUrl={callbackUrl} initialError={initialError} oidcEnabled={isOidcEnabled()} />
        </div>
      </div>
    </main>
  );
}
