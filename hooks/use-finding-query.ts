"use client";

import { useQuery } from "@tanstack/react-query";
import { fetchJson } from "@/lib/api/fetch-json";
import { queryKeys } from "@/lib/api/query-keys";
import type { FindingDetail } from "@/lib/findings/get-finding";

/** One finding with its audit trail; the page's loader puts the first answer in the cache. */
export function useFindingQuery(id: number) {
  return useQuery({
    queryKey: queryKeys.finding.of(id),
    queryFn: ({ signal }) => fetchJson<FindingDetail>(`/api/findings/${id}`, { signal }),
    // The server's answer is fresh; refetch only after a change (mutations invalidate it).
    staleTime: 30_000,
  });
}
