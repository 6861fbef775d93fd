"use client";

import { useQuery } from "@tanstack/react-query";
import { fetchJson } from "@/lib/api/fetch-json";
import type { FilterOptions } from "@/lib/data/get-filter-options";

export function useFilterOptionsQuery() {
  return useQuery({ queryKey: ["filter-options"], queryFn: () => fetchJson<FilterOptions>("/api/filters"), staleTime: 5 * 60_000 });
}
