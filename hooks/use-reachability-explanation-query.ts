"use client";

import { useQuery } from "@tanstack/react-query";
import { fetchJson, toSearch } from "@/lib/api/fetch-json";
import { queryKeys } from "@/lib/api/query-keys";
import type { ReachabilityExplanation } from "@/lib/data/get-reachability-explanation";

/** `GET /api/clusters/:id/reachability?from=&to=`: one matrix cell explained, asked for when the cell is chosen. */
export function useReachabilityExplanationQuery(id: number, cell: { from: string; to: string } | null) {
  return useQuery({
    queryKey: queryKeys.clusterReachability.of(id, cell?.from ?? "", cell?.to ?? ""),
    queryFn: ({ signal }) => fetchJson<ReachabilityExplanation>(`/api/clusters/${id}/reachability${toSearch({ from: cell?.from, to: cell?.to })}`, { signal }),
    enabled: cell !== null,
    // An explanation judges the cluster's objects again: keep it while the page is open.
    staleTime: 5 * 60_000,
  });
}
