"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { fetchJson, toSearch } from "@/lib/api/fetch-json";
import { queryKeys, type FindingsRequest } from "@/lib/api/query-keys";
import type { FindingPage } from "@/lib/findings/list-findings";

/** `GET /api/findings`: one page of the findings list. */
export function useFindingsQuery(request: FindingsRequest) {
  return useQuery({
    queryKey: queryKeys.findings.of(request),
    queryFn: ({ signal }) => fetchJson<FindingPage>(`/api/findings${toSearch({ ...request })}`, { signal }),
    // Paging, sorting and filtering keep the old rows on screen until the new ones arrive.
    placeholderData: keepPreviousData,
  });
}
