import { requirementEvidenceQuery, toComplianceScope } from "@/lib/api/compliance-params";
import { withHandler } from "@/lib/auth/with-handler";
import { getRequirementEvidenceCached } from "@/lib/data/cached-figures";

export const GET = withHandler(requirementEvidenceQuery, ({ db, query }) =>
  getRequirementEvidenceCached(db, { framework: query.framework, day: query.asOf, scope: toComplianceScope(query), requirement: query.requirement, list: query.list, limit: query.limit }),
);
