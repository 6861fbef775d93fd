import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { cache, Suspense } from "react";
import { FindingDetailView } from "@/components/findings/finding-detail-view";
import { Skeleton } from "@/components/ui/skeleton";
import { queryKeys } from "@/lib/api/query-keys";
import { requireUser } from "@/lib/auth/current-user";
import { getDatabase } from "@/lib/db/client";
import { isAppError } from "@/lib/errors";
import { getFinding } from "@/lib/findings/get-finding";
import { Prefetch } from "../../_loaders/prefetch";
import { filterOptionsQuery, findingAssigneesQuery } from "../../_loaders/server-queries";

const MAX_ID = 2_147_483_647;

/** One read per request, shared by the metadata and the page; an unknown or malformed id is null. */
const loadFinding = cache(async (idText: string) => {
  if (!/^[1-9][0-9]{0,9}$/.test(idText) || Number(idText) > MAX_ID) return null;
  try {
    return await getFinding(await getDatabase(), Number(idText));
  } catch (error) {
    if (isAppError(error) && error.code === "not-found") return null;
    throw error;
  }
});

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  const { id } = await params;
  await requireUser("posture:read", `/findings/${encodeURIComponent(id)}`);
  const finding = await loadFinding(id);
  return { title: finding ? `${finding.controlId} on ${finding.clusterName}` : "Finding not found" };
}

export default async function FindingPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  // The layout checks too, but a client-side navigation renders only this segment.
  await requireUser("posture:read", `/findings/${encodeURIComponent(id)}`);
  const finding = await loadFinding(id);
  if (!finding) notFound();
  return (
    <Suspense fallback={<Skeleton className="h-96 w-full" label="Loading the finding" />}>
      <Prefetch queries={[{ queryKey: queryKeys.finding.of(finding.id), queryFn: async () => finding }, findingAssigneesQuery(), filterOptionsQuery()]}>
        <FindingDetailView id={finding.id} />
      </Prefetch>
    </Suspense>
  );
}
