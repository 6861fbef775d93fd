"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { kpiTrendQueryKey, kpiTrendUrl, type TrendRequest } from "@/lib/api/dashboard-requests";
import { fetchJson } from "@/lib/api/fetch-json";
import type { TrendSeries } from "@/lib/data/get-trend-series";

/** `GET /api/kpis/trend`: the daily KPI trend, split into top groups and "other". */
export function useKpiTrendQuery(request: TrendRequest, options: { keepPrevious?: boolean } = {}) {
  return useQuery({
    queryKey: kpiTrendQueryKey(request),
    queryFn: () => fetchJson<TrendSeries>(kpiTrendUrl(request)),
    // While another range or split loads, the chart keeps the previous figures (marked as updating).
    placeholderData: options.keepPrevious ? keepPreviousData : undefined,
  });
}
