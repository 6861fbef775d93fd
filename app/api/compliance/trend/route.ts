import { complianceTrendQuery, toComplianceScope } from "@/lib/api/compliance-params";
import { withHandler } from "@/lib/auth/with-handler";
import { getComplianceTrend } from "@/lib/compliance/get-compliance-trend";

export const GET = withHandler(complianceTrendQuery, ({ db, query }) =>
  getComplianceTrend(db, { framework: query.framework, day: query.asOf, days: query.days, scope: toComplianceScope(query) }),
);
