"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { fetchJson, toSearch } from "@/lib/api/fetch-json";
import { queryKeys, type ComplianceRequest, type ComplianceTrendRequest } from "@/lib/api/query-keys";
import type { ComplianceView } from "@/lib/compliance/get-compliance-view";
import type { RequirementTrend } from "@/lib/compliance/get-requirement-trend";

/** `GET /api/compliance`: one framework's requirements with the clusters passing and failing, as of a day. */
export function useComplianceQuery(request: ComplianceRequest) {
  return useQuery({
    queryKey: queryKeys.compliance.of(request),
    queryFn: ({ signal }) => fetchJson<ComplianceView>(`/api/compliance${toSearch({ ...request })}`, { signal }),
    // Another framework, day or scope: the page keeps the previous answer (marked as updating) until the new one arrives.
    placeholderData: keepPreviousData,
  });
}

/** `GET /api/compliance/trend`: each requirement's daily pass rate up to the as-of day. */
export function useComplianceTrendQuery(request: ComplianceTrendRequest) {
  return useQuery({
    queryKey: queryKeys.complianceTrend.of(request),
    queryFn: ({ signal }) => fetchJson<RequirementTrend>(`/api/compliance/trend${toSearch({ ...request })}`, { signal }),
    placeholderData: keepPreviousData,
  });
}
