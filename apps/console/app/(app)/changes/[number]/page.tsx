import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { ChangeDetail } from "@/features/changes/change-detail";
import { parseRequestNumber } from "@/features/changes/route-number";
import { getQueryClient, HydrateClient, isNotFound, trpc } from "@/lib/trpc/server";
import { requireUser } from "@/server/session";

type TProps = { params: Promise<{ number: string }> };

export async function generateMetadata({ params }: TProps): Promise<Metadata> {
  const n = parseRequestNumber((await params).number);
  return { title: n ? `CR-${n}` : "Change request" };
}

/** `/changes/123` (or `/changes/CR-123`). */
export default async function ChangeRequestPage({ params }: TProps) {
  await requireUser();
  const number = parseRequestNumber((await params).number);
  if (!number) notFound();
  try {
    await getQueryClient().fetchQuery(trpc.changes.get.queryOptions({ number }));
  } catch (error) {
    if (isNotFound(error)) notFound();
    throw error;
  }
  return (
    <HydrateClient>
      <ChangeDetail number={number} />
    </HydrateClient>
  );
}
