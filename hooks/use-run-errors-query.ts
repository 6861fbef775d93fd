"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { fetchJson, toSearch } from "@/lib/api/fetch-json";
import type { RunErrorsResult } from "@/lib/data/list-run-errors";

export function useRunErrorsQuery(runId: number, page: number, enabled = true) {
  return useQuery({
    queryKey: ["run-errors", { runId, page }],
    queryFn: ({ signal }) => fetchJson<RunErrorsResult>(`/api/runs/${runId}/errors${toSearch({ page: page > 1 ? page : undefined })}`, { signal }),
    placeholderData: keepPreviousData,
    enabled,
  });
}
