"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { fetchJson, toSearch } from "@/lib/api/fetch-json";
import { queryKeys } from "@/lib/api/query-keys";
import type { RunErrorsResult } from "@/lib/data/list-run-errors";

/** `GET /api/runs/:id/errors`: one page of a run's errors, fetched when the run is expanded. */
export function useRunErrorsQuery(runId: number, page: number, enabled = true) {
  return useQuery({
    queryKey: queryKeys.runErrors.of(runId, page),
    queryFn: ({ signal }) => fetchJson<RunErrorsResult>(`/api/runs/${runId}/errors${toSearch({ page: page > 1 ? page : undefined })}`, { signal }),
    placeholderData: keepPreviousData,
    enabled,
  });
}
