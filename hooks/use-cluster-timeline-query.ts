"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { fetchJson, toSearch } from "@/lib/api/fetch-json";
import { queryKeys } from "@/lib/api/query-keys";
import type { ClusterTimeline } from "@/lib/data/get-cluster-timeline";

/** `GET /api/clusters/:id/timeline`: the cluster's posture per UTC day. */
export function useClusterTimelineQuery(id: number, days: number) {
  return useQuery({
    queryKey: queryKeys.clusterTimeline.of(id, days),
    queryFn: ({ signal }) => fetchJson<ClusterTimeline>(`/api/clusters/${id}/timeline${toSearch({ days })}`, { signal }),
    placeholderData: keepPreviousData,
  });
}
