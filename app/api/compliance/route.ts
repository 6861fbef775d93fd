import { complianceQuery, toComplianceScope } from "@/lib/api/compliance-params";
import { withHandler } from "@/lib/auth/with-handler";
import { getComplianceSummaryCached } from "@/lib/data/cached-figures";

export const GET = withHandler(complianceQuery, ({ db, query }) => getComplianceSummaryCached(db, { framework: query.framework, day: query.asOf, scope: toComplianceScope(query) }));
