"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { fetchJson, toSearch } from "@/lib/api/fetch-json";
import { queryKeys, type ComplianceRequest, type ComplianceTrendRequest, type RequirementEvidenceRequest } from "@/lib/api/query-keys";
import type { ComplianceSummary, RequirementEvidence } from "@/lib/compliance/get-compliance-view";
import type { RequirementTrend } from "@/lib/compliance/get-requirement-trend";

/** `GET /api/compliance`: one framework's requirements and how many clusters pass and fail each, as of a day. */
export function useComplianceQuery(request: ComplianceRequest) {
  return useQuery({
    queryKey: queryKeys.compliance.of(request),
    queryFn: ({ signal }) => fetchJson<ComplianceSummary>(`/api/compliance${toSearch({ ...request })}`, { signal }),
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

/** `GET /api/compliance/evidence`: the first `limit` clusters of one requirement with one outcome, with their evidence. */
export function useRequirementEvidenceQuery(request: RequirementEvidenceRequest, { enabled }: { enabled: boolean }) {
  return useQuery({
    queryKey: queryKeys.complianceEvidence.of(request),
    queryFn: ({ signal }) => fetchJson<RequirementEvidence>(`/api/compliance/evidence${toSearch({ ...request })}`, { signal }),
    enabled,
    // "Show more" and another day keep the clusters shown until the new answer arrives; another list starts empty.
    placeholderData: (previous) => (previous?.requirement === request.requirement && previous.list === request.list ? previous : undefined),
  });
}
