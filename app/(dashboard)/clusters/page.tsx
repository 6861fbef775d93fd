import type { Metadata } from "next";
import { Suspense } from "react";
import { ClustersView, ClustersViewSkeleton } from "@/components/clusters/clusters-view";

export const metadata: Metadata = { title: "Clusters" };

export default function ClustersPage() {
  return (
    <Suspense fallback={<ClustersViewSkeleton />}>
      <ClustersView />
    </Suspense>
  );
}
