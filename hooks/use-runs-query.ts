"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { fetchJson, toSearch } from "@/lib/api/fetch-json";
import type { RunListResult } from "@/lib/data/list-runs";

export interface RunsQueryParams {
  page?: string;
  pageSize?: string;
  status?: string;
}

export function useRunsQuery(params: RunsQueryParams) {
  return useQuery({
    queryKey: ["runs", params],
    queryFn: ({ signal }) => fetchJson<RunListResult>(`/api/runs${toSearch({ ...params })}`, { signal }),
    placeholderData: keepPreviousData,
  });
}
