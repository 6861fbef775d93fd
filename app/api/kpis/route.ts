import { kpisQuery } from "@/lib/api/dashboard-params";
import { toKpiScope } from "@/lib/api/params";
import { withHandler } from "@/lib/auth/with-handler";
import { getKpisCached } from "@/lib/data/cached-figures";

export const GET = withHandler(kpisQuery, ({ db, query }) =>
  getKpisCached(db, { asOf: query.asOf ?? new Date(), from: query.from, by: query.by, scope: toKpiScope(query) }),
);
