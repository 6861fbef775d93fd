"use client";

import { useQuery } from "@tanstack/react-query";
import { fetchJson } from "@/lib/api/fetch-json";
import { queryKeys } from "@/lib/api/query-keys";
import type { RulesStatus } from "@/lib/data/rules-status";

/** `GET /api/reevaluation`: the store's rules version and the latest re-evaluation; polled while one runs. */
export function useRulesStatusQuery() {
  return useQuery({
    queryKey: queryKeys.rulesStatus.all,
    queryFn: ({ signal }) => fetchJson<RulesStatus>("/api/reevaluation", { signal }),
    refetchInterval: (query) => (query.state.data?.latest?.status === "running" && !query.state.data.latest.interrupted ? 2_000 : false),
    staleTime: 60_000,
  });
}
