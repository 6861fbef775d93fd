import type { Metadata } from "next";
import { Suspense } from "react";
import { ClustersView, ClustersViewSkeleton } from "@/components/clusters/clusters-view";
import { firstValue, type PageSearchParams } from "@/lib/api/page-search";
import { CLUSTERS_PARAMS, readListRequest } from "@/lib/api/query-keys";
import { requireUser } from "@/lib/auth/current-user";
import { Prefetch } from "../_loaders/prefetch";
import { clustersQuery } from "../_loaders/server-queries";

export const metadata: Metadata = { title: "Clusters" };

export default async function ClustersPage({ searchParams }: { searchParams: Promise<PageSearchParams> }) {
  // The layout checks too, but a client-side navigation renders only this segment.
  await requireUser("posture:read", "/clusters");
  const search = await searchParams;
  return (
    <Suspense fallback={<ClustersViewSkeleton />}>
      <Prefetch queries={[clustersQuery(readListRequest(CLUSTERS_PARAMS, (name) => firstValue(search, name)))]}>
        <ClustersView />
      </Prefetch>
    </Suspense>
  );
}
