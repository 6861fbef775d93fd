"use client";

import { useQuery } from "@tanstack/react-query";
import { fetchJson } from "@/lib/api/fetch-json";
import { queryKeys } from "@/lib/api/query-keys";
import type { ClusterDetail } from "@/lib/data/get-cluster-detail";

/** `GET /api/clusters/:id`: everything the cluster page shows (the page's loader puts the first answer in the cache). */
export function useClusterDetailQuery(id: number) {
  return useQuery({ queryKey: queryKeys.clusterDetail.of(id), queryFn: ({ signal }) => fetchJson<ClusterDetail>(`/api/clusters/${id}`, { signal }) });
}
