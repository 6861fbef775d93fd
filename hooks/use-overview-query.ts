"use client";

import { useQuery } from "@tanstack/react-query";
import { overviewQueryKey, overviewUrl, type OverviewRequest } from "@/lib/api/dashboard-requests";
import { fetchJson } from "@/lib/api/fetch-json";
import type { OverviewData } from "@/lib/data/get-overview";

/** `GET /api/overview`: risk ranking, production clusters without an engine, advisories, last run. */
export function useOverviewQuery(request: OverviewRequest) {
  return useQuery({ queryKey: overviewQueryKey(request), queryFn: () => fetchJson<OverviewData>(overviewUrl(request)) });
}
