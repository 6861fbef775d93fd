"use client";

import { useQuery } from "@tanstack/react-query";
import { fetchJson, toSearch } from "@/lib/api/fetch-json";
import { queryKeys, type OverviewRequest } from "@/lib/api/query-keys";
import type { OverviewData } from "@/lib/data/get-overview";

/** `GET /api/overview`: risk ranking, production clusters without an engine, advisories, last run. */
export function useOverviewQuery(request: OverviewRequest) {
  return useQuery({ queryKey: queryKeys.overview.of(request), queryFn: ({ signal }) => fetchJson<OverviewData>(`/api/overview${toSearch({ ...request })}`, { signal }) });
}
