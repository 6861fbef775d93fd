"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { fetchJson, toSearch } from "@/lib/api/fetch-json";
import type { ClusterTimeline } from "@/lib/data/get-cluster-timeline";

export function useClusterTimelineQuery(id: number, days: number) {
  return useQuery({
    queryKey: ["cluster-timeline", { id, days }],
    queryFn: ({ signal }) => fetchJson<ClusterTimeline>(`/api/clusters/${id}/timeline${toSearch({ days })}`, { signal }),
    placeholderData: keepPreviousData,
  });
}
