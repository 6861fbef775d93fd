import { overviewQuery } from "@/lib/api/dashboard-params";
import { toKpiScope } from "@/lib/api/params";
import { withHandler } from "@/lib/auth/with-handler";
import { getOverview } from "@/lib/data/get-overview";

export const GET = withHandler(overviewQuery, ({ db, query }) => getOverview(db, { asOf: query.asOf ?? new Date(), scope: toKpiScope(query) }));
