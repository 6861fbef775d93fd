"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { fetchJson, toSearch } from "@/lib/api/fetch-json";
import { queryKeys, type TrendRequest } from "@/lib/api/query-keys";
import type { TrendSeries } from "@/lib/data/get-trend-series";

/** `GET /api/kpis/trend`: the daily KPI trend, split into top groups and "other". */
export function useKpiTrendQuery(request: TrendRequest, options: { keepPrevious?: boolean } = {}) {
  return useQuery({
    queryKey: queryKeys.kpiTrend.of(request),
    queryFn: ({ signal }) => fetchJson<TrendSeries>(`/api/kpis/trend${toSearch({ ...request })}`, { signal }),
    // While another range or split loads, the chart keeps the previous figures (marked as updating).
    placeholderData: options.keepPrevious ? keepPreviousData : undefined,
  });
}
