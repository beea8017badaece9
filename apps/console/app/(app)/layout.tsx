import { type ReactNode } from "react";
import { AppShell } from "@/components/shell/app-shell";
import { TRPCReactProvider } from "@/lib/trpc/react";
import { requireUser } from "@/server/session";

/** Every page in this group needs a session; pages check again (layouts do not re-render on navigation). */
export default async function AppLayout({ children }: { children: ReactNode }) {
  const user = await requireUser();
  return (
    <TRPCReactProvider>
      <AppShell user={user}>{children}</AppShell>
    </TRPCReactProvider>
  );
}
