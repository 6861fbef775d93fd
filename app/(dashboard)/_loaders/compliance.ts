import "server-only";
import { countInList, firstEvidenceList, selectRequirement } from "@/components/compliance/compliance-state";
import {
  complianceQuery as complianceParams,
  complianceTrendQuery as trendParams,
  requirementEvidenceQuery as evidenceParams,
  toComplianceScope,
} from "@/lib/api/compliance-params";
import { queryKeys, type ComplianceRequest, type ComplianceTrendRequest, type RequirementEvidenceRequest } from "@/lib/api/query-keys";
import type { ComplianceSummary } from "@/lib/compliance/get-compliance-view";
import { EVIDENCE_PAGE } from "@/lib/compliance/view-limits";
import { getComplianceSummaryCached, getComplianceTrendCached, getRequirementEvidenceCached } from "@/lib/data/cached-figures";
import { getDatabase } from "@/lib/db/client";
import type { ServerQuery } from "./prefetch";

// The Compliance page's loaders: the routes' own schemas and functions under the hooks' keys
// (server-queries.ts explains the pattern). A request the schema refuses is left to the widget,
// which shows the API's error.

export function complianceQuery(request: ComplianceRequest): ServerQuery | null {
  const parsed = complianceParams.safeParse(request);
  if (!parsed.success) return null;
  const params = parsed.data;
  return {
    queryKey: queryKeys.compliance.of(request),
    queryFn: async () => getComplianceSummaryCached(await getDatabase(), { framework: params.framework, day: params.asOf, scope: toComplianceScope(params) }),
  };
}

/**
 * The clusters the page's first view shows: the first page of the open requirement's first list,
 * chosen as the detail chooses them once `summary` (the requirements' query) has answered. Nothing
 * when the summary fails or has nothing to open: the detail then fetches for itself.
 */
export async function firstEvidenceQuery(request: ComplianceRequest, summary: ServerQuery | null, requirementId: string | undefined): Promise<ServerQuery | null> {
  if (!summary) return null;
  const answer = (await summary.queryFn().catch(() => null)) as ComplianceSummary | null;
  const requirement = answer?.history.firstDay && answer.totals.clusters > 0 ? selectRequirement(answer.requirements, requirementId) : undefined;
  if (!requirement) return null;
  const list = firstEvidenceList(requirement);
  if (countInList(requirement, list) === 0) return null;
  const evidenceRequest: RequirementEvidenceRequest = { ...request, requirement: requirement.id, list, limit: EVIDENCE_PAGE };
  const parsed = evidenceParams.safeParse({ ...evidenceRequest, limit: String(EVIDENCE_PAGE) });
  if (!parsed.success) return null;
  const params = parsed.data;
  return {
    queryKey: queryKeys.complianceEvidence.of(evidenceRequest),
    queryFn: async () =>
      getRequirementEvidenceCached(await getDatabase(), {
        framework: params.framework,
        day: params.asOf,
        scope: toComplianceScope(params),
        requirement: params.requirement,
        list: params.list,
        limit: params.limit,
      }),
  };
}

export function complianceTrendQuery(request: ComplianceTrendRequest): ServerQuery | null {
  const parsed = trendParams.safeParse({ ...request, days: String(request.days) });
  if (!parsed.success) return null;
  const params = parsed.data;
  return {
    queryKey: queryKeys.complianceTrend.of(request),
    queryFn: async () => getComplianceTrendCached(await getDatabase(), { framework: params.framework, day: params.asOf, days: params.days, scope: toComplianceScope(params) }),
  };
}
