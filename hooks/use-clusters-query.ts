"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { fetchJson, toSearch } from "@/lib/api/fetch-json";
import type { ClusterListResult } from "@/lib/data/list-clusters";

/** The clusters table's URL parameters, as text: the server validates them. */
export interface ClustersQueryParams {
  q?: string;
  sort?: string;
  dir?: string;
  page?: string;
  pageSize?: string;
  engine?: string;
  failing?: string;
  production?: string;
  deleted?: string;
  advisory?: string;
  subscription?: string;
  owner?: string;
}

export function useClustersQuery(params: ClustersQueryParams) {
  return useQuery({
    queryKey: ["clusters", params],
    queryFn: ({ signal }) => fetchJson<ClusterListResult>(`/api/clusters${toSearch({ ...params })}`, { signal }),
    // Paging, sorting and filtering keep the old rows on screen until the new ones arrive.
    placeholderData: keepPreviousData,
  });
}
