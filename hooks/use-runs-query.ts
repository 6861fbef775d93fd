"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { fetchJson, toSearch } from "@/lib/api/fetch-json";
import { queryKeys, type RunsRequest } from "@/lib/api/query-keys";
import type { RunListResult } from "@/lib/data/list-runs";

/** `GET /api/runs`: one page of the collection history. */
export function useRunsQuery(request: RunsRequest) {
  return useQuery({
    queryKey: queryKeys.runs.of(request),
    queryFn: ({ signal }) => fetchJson<RunListResult>(`/api/runs${toSearch({ ...request })}`, { signal }),
    placeholderData: keepPreviousData,
    // Live while a run is running (its progress changes every half second); otherwise a run started
    // elsewhere (a CLI, the schedule) still shows up within a few seconds.
    refetchInterval: (query) => (query.state.data?.rows.some((run) => run.status === "running") ? 1_000 : 5_000),
  });
}
