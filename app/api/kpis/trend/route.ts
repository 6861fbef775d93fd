import { trendQuery } from "@/lib/api/dashboard-params";
import { toKpiScope } from "@/lib/api/params";
import { withHandler } from "@/lib/auth/with-handler";
import { getTrendSeriesCached } from "@/lib/data/cached-figures";

export const GET = withHandler(trendQuery, ({ db, query }) =>
  getTrendSeriesCached(db, { toDay: query.to ?? new Date(), range: query.range, by: query.by, top: query.top, groups: query.groups, scope: toKpiScope(query) }),
);
