"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { fetchJson, toSearch } from "@/lib/api/fetch-json";
import { queryKeys, type ClustersRequest } from "@/lib/api/query-keys";
import type { ClusterListResult } from "@/lib/data/list-clusters";

/** `GET /api/clusters`: one page of the clusters table. */
export function useClustersQuery(request: ClustersRequest) {
  return useQuery({
    queryKey: queryKeys.clusters.of(request),
    queryFn: ({ signal }) => fetchJson<ClusterListResult>(`/api/clusters${toSearch({ ...request })}`, { signal }),
    // Paging, sorting and filtering keep the old rows on screen until the new ones arrive.
    placeholderData: keepPreviousData,
  });
}
