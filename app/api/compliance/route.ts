import { complianceQuery, toComplianceScope } from "@/lib/api/compliance-params";
import { withHandler } from "@/lib/auth/with-handler";
import { getComplianceView } from "@/lib/compliance/get-compliance-view";

export const GET = withHandler(complianceQuery, ({ db, query }) => getComplianceView(db, { framework: query.framework, day: query.asOf, scope: toComplianceScope(query) }));
