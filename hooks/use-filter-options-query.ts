"use client";

import { useQuery } from "@tanstack/react-query";
import { fetchJson } from "@/lib/api/fetch-json";
import { queryKeys } from "@/lib/api/query-keys";
import type { FilterOptions } from "@/lib/data/get-filter-options";

/** `GET /api/filters`: the subscriptions and owners the scope filters offer. */
export function useFilterOptionsQuery() {
  return useQuery({ queryKey: queryKeys.filterOptions.all, queryFn: ({ signal }) => fetchJson<FilterOptions>("/api/filters", { signal }), staleTime: 5 * 60_000 });
}
