import "server-only";
import { complianceQuery as complianceParams, complianceTrendQuery as trendParams, toComplianceScope } from "@/lib/api/compliance-params";
import { queryKeys, type ComplianceRequest, type ComplianceTrendRequest } from "@/lib/api/query-keys";
import { getComplianceTrendCached, getComplianceViewCached } from "@/lib/data/cached-figures";
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
    queryFn: async () => getComplianceViewCached(await getDatabase(), { framework: params.framework, day: params.asOf, scope: toComplianceScope(params) }),
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
