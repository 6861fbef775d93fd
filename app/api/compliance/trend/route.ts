import { complianceTrendQuery, toComplianceScope } from "@/lib/api/compliance-params";
import { withHandler } from "@/lib/auth/with-handler";
import { getComplianceTrendCached } from "@/lib/data/cached-figures";

export const GET = withHandler(complianceTrendQuery, ({ db, query }) =>
  getComplianceTrendCached(db, { framework: query.framework, day: query.asOf, days: query.days, scope: toComplianceScope(query) }),
);
