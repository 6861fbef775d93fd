import { overviewQuery } from "@/lib/api/dashboard-params";
import { toKpiScope } from "@/lib/api/params";
import { withHandler } from "@/lib/auth/with-handler";
import { getOverviewCached } from "@/lib/data/cached-figures";

export const GET = withHandler(overviewQuery, ({ db, query }) => getOverviewCached(db, { asOf: query.asOf ?? new Date(), scope: toKpiScope(query) }));
