"use client";

import { useQuery } from "@tanstack/react-query";
import { fetchJson } from "@/lib/api/fetch-json";
import type { ClusterDetail } from "@/lib/data/get-cluster-detail";

export function useClusterDetailQuery(id: number, initialData?: ClusterDetail) {
  return useQuery({
    queryKey: ["cluster-detail", id],
    queryFn: ({ signal }) => fetchJson<ClusterDetail>(`/api/clusters/${id}`, { signal }),
    initialData,
  });
}
