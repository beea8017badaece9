import Link from "next/link";
import { type ReactNode } from "react";
import { ROLE_LABELS, type TRole } from "@meridian/policy";
import { GlobalSearch } from "./global-search";
import { CompactNav, SideNav } from "./side-nav";
import { SignOutButton } from "./sign-out-button";

function rolesLabel(roles: readonly TRole[]): string {
  if (roles.length === 0) return "No role";
  return roles.map((r) => ROLE_LABELS[r]).join(", ");
}

function initials(name: string): string {
  const parts = name.trim().split(/\s+/);
  return ((parts[0]?.[0] ?? "") + (parts.length > 1 ? (parts[parts.length - 1]?.[0] ?? "") : "")).toUpperCase() || "?";
}

/** Left navigation, top bar (search, user, sign out), and the page. */
export function AppShell({ user, children }: { user: { name: string; email: string; roles: TRole[] }; children: ReactNode }) {
  return (
    <div className="flex h-dvh overflow-hidden">
      <a
        href="#main"
        className="sr-only z-50 rounded bg-white px-3 py-2 text-sm focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:ring-2 focus:ring-sky-500"
      >
        Skip to content
      </a>
      <aside className="hidden w-48 shrink-0 flex-col border-r border-zinc-200 bg-white md:flex dark:border-zinc-800 dark:bg-zinc-900">
        <Link href="/" className="flex h-12 items-center gap-2 border-b border-zinc-200 px-4 dark:border-zinc-800">
          <svg viewBox="0 0 20 20" className="size-5 text-sky-600 dark:text-sky-400" fill="none" stroke="currentColor" strokeWidth="1.6" aria-hidden="true">
            <circle cx="10" cy="10" r="7.5" />
            <path d="M10 2.5v15M2.5 10c2.5 1.6 5 2.4 7.5 2.4s5-.8 7.5-2.4" />
          </svg>
          <span className="text-sm font-semibold tracking-tight">Meridian</span>
        </Link>
        <SideNav />
      </aside>
      <div className="flex min-w-0 flex-1 flex-col">
        <header className="flex h-12 shrink-0 items-center gap-3 border-b border-zinc-200 bg-white px-4 dark:border-zinc-800 dark:bg-zinc-900">
          <GlobalSearch />
          <div className="ml-auto flex items-center gap-3">
            <div className="flex items-center gap-2" data-testid="signed-in-user">
              <span
                aria-hidden="true"
                className="flex size-7 items-center justify-center rounded-full bg-zinc-200 text-[11px] font-semibold text-zinc-700 dark:bg-zinc-700 dark:text-zinc-200"
              >
                {initials(user.name)}
              </span>
              <div className="hidden flex-col leading-tight sm:flex">
                <span className="text-sm font-medium text-zinc-900 dark:text-zinc-100" title={user.email}>
                  {user.name}
                </span>
                <span className="text-xs text-zinc-500 dark:text-zinc-400">
                  {rolesLabel(user.roles)}
                </span>
              </div>
            </div>
            <SignOutButton />
          </div>
        </header>
        <CompactNav />
        <main id="main" className="min-h-0 flex-1 overflow-auto">
          {children}
        </main>
      </div>
    </div>
  );
}
