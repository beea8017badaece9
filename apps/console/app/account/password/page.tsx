import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { ChangePasswordForm } from "@/features/auth/change-password-form";
import { CHANGE_PASSWORD_PATH, getCurrentUser } from "@/server/session";

export const metadata: Metadata = { title: "Choose a new password" };

/** Reached first, and only, while the account still has its one-time password. */
export default async function ChangePasswordPage() {
  const user = await getCurrentUser();
  if (!user) redirect(`/signin?callbackUrl=${encodeURIComponent(CHANGE_PASSWORD_PATH)}`);
  return (
    <main className="flex min-h-full items-center justify-center px-4 py-12">
      <div className="w-full max-w-sm rounded-lg border border-zinc-200 bg-white p-6 shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
        <h1 className="text-lg font-semibold tracking-tight">Choose a new password</h1>
        <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
          {user.mustChangePassword
            ? `${user.email} was given a one-time password. Choose your own before anything else.`
            : `Change the password of ${user.email}.`}
        </p>
        <ChangePasswordForm />
      </div>
    </main>
  );
}
