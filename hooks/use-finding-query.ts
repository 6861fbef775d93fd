"use client";

import { useQuery } from "@tanstack/react-query";
import { fetchJson } from "@/lib/api/fetch-json";
import type { FindingDetail } from "@/lib/findings/get-finding";

export function findingQueryKey(id: number) {
  return ["finding", id] as const;
}

/** One finding with its audit trail; the server page hands over the first answer. */
export function useFindingQuery(id: number, initialData?: FindingDetail) {
  return useQuery({
    queryKey: findingQueryKey(id),
    queryFn: ({ signal }) => fetchJson<FindingDetail>(`/api/findings/${id}`, { signal }),
    initialData,
    // The server's answer is fresh; refetch only after a change (mutations invalidate it).
    staleTime: 30_000,
  });
}
