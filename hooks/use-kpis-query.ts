"use client";

import { useQuery } from "@tanstack/react-query";
import { kpisQueryKey, kpisUrl, type KpisRequest } from "@/lib/api/dashboard-requests";
import { fetchJson } from "@/lib/api/fetch-json";
import type { KpiReport } from "@/lib/kpi/get-kpis";

/** `GET /api/kpis`: the four KPIs at one time. */
export function useKpisQuery(request: KpisRequest) {
  return useQuery({ queryKey: kpisQueryKey(request), queryFn: () => fetchJson<KpiReport>(kpisUrl(request)) });
}
