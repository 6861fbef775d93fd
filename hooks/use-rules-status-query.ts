"use client";

import { useQuery } from "@tanstack/react-query";
import { fetchJson } from "@/lib/api/fetch-json";
import { queryKeys } from "@/lib/api/query-keys";
import type { RulesStatus } from "@/lib/data/rules-status";

/** True while a re-evaluation asked for after the one with id `after` (null: none asked for) has not shown up, and there is still work. */
export function isAwaitingStart(status: RulesStatus | undefined, after: number | null | undefined): boolean {
  if (after === undefined || after === null || !status) return after !== undefined && after !== null;
  return (status.latest?.id ?? 0) === after && status.needsReevaluation;
}

/**
 * `GET /api/reevaluation`: the store's rules version and the latest re-evaluation; polled while one
 * runs, and after one was asked for (`startedAfter`: the latest id at that moment) until it shows up.
 */
export function useRulesStatusQuery(options: { startedAfter?: number | null } = {}) {
  return useQuery({
    queryKey: queryKeys.rulesStatus.all,
    queryFn: ({ signal }) => fetchJson<RulesStatus>("/api/reevaluation", { signal }),
    refetchInterval: (query) => {
      const data = query.state.data;
      const running = data?.latest?.status === "running" && !data.latest.interrupted;
      return running || isAwaitingStart(data, options.startedAfter) ? 2_000 : false;
    },
    staleTime: 60_000,
  });
}
