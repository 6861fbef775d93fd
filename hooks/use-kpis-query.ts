"use client";

import { useQuery } from "@tanstack/react-query";
import { fetchJson, toSearch } from "@/lib/api/fetch-json";
import { queryKeys, type KpisRequest } from "@/lib/api/query-keys";
import type { KpiReport } from "@/lib/kpi/get-kpis";

/** `GET /api/kpis`: the four KPIs at one time. */
export function useKpisQuery(request: KpisRequest) {
  return useQuery({ queryKey: queryKeys.kpis.of(request), queryFn: ({ signal }) => fetchJson<KpiReport>(`/api/kpis${toSearch({ ...request })}`, { signal }) });
}
