import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { cache, Suspense } from "react";
import { ClusterDetailView } from "@/components/cluster-detail/cluster-detail-view";
import { PostureTimeline, PostureTimelineSkeleton } from "@/components/cluster-detail/posture-timeline";
import { DEFAULT_TIMELINE_DAYS } from "@/components/cluster-detail/timeline-ranges";
import { queryKeys } from "@/lib/api/query-keys";
import { requireUser } from "@/lib/auth/current-user";
import { getDatabase } from "@/lib/db/client";
import { getClusterDetail } from "@/lib/data/get-cluster-detail";
import { getServerPostureConfig } from "@/lib/data/posture-config";
import { Prefetch } from "../../_loaders/prefetch";
import { clusterTimelineQuery } from "../../_loaders/server-queries";

/** One read per request, shared by the metadata, the not-found check and the prefetch; the page checks the session itself (layouts render in parallel). */
const loadCluster = cache(async (idText: string) => {
  await requireUser("posture:read", `/clusters/${encodeURIComponent(idText)}`);
  if (!/^[0-9]{1,10}$/.test(idText)) return null;
  return getClusterDetail(await getDatabase(), Number(idText), getServerPostureConfig());
});

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  const detail = await loadCluster((await params).id);
  return { title: detail ? detail.cluster.name : "Cluster not found" };
}

export default async function ClusterPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const detail = await loadCluster(id);
  if (!detail) notFound();
  const clusterId = detail.cluster.id;
  return (
    <Prefetch queries={[{ queryKey: queryKeys.clusterDetail.of(clusterId), queryFn: async () => detail }]}>
      <ClusterDetailView
        id={clusterId}
        timeline={
          <Suspense fallback={<PostureTimelineSkeleton />}>
            <Prefetch queries={[clusterTimelineQuery(clusterId, DEFAULT_TIMELINE_DAYS)]}>
              <PostureTimeline clusterId={clusterId} firstSeenAt={detail.cluster.firstSeenAt} />
            </Prefetch>
          </Suspense>
        }
      />
    </Prefetch>
  );
}
