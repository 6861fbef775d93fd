import type { Metadata } from "next";
import { Suspense } from "react";
import { FindingsView, FindingsViewSkeleton } from "@/components/findings/findings-view";
import { firstValue, type PageSearchParams } from "@/lib/api/page-search";
import { FINDINGS_PARAMS, readListRequest } from "@/lib/api/query-keys";
import { requireUser } from "@/lib/auth/current-user";
import { Prefetch } from "../_loaders/prefetch";
import { findingAssigneesQuery, findingsQuery } from "../_loaders/server-queries";

export const metadata: Metadata = { title: "Findings" };

export default async function FindingsPage({ searchParams }: { searchParams: Promise<PageSearchParams> }) {
  // The layout checks too, but a client-side navigation renders only this segment.
  await requireUser("posture:read", "/findings");
  const search = await searchParams;
  return (
    <Suspense fallback={<FindingsViewSkeleton />}>
      <Prefetch queries={[findingsQuery(readListRequest(FINDINGS_PARAMS, (name) => firstValue(search, name))), findingAssigneesQuery()]}>
        <FindingsView />
      </Prefetch>
    </Suspense>
  );
}
