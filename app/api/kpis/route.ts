import { kpisQuery } from "@/lib/api/dashboard-params";
import { toKpiScope } from "@/lib/api/params";
import { withHandler } from "@/lib/auth/with-handler";
import { getKpis } from "@/lib/kpi/get-kpis";

export const GET = withHandler(kpisQuery, ({ db, query }) =>
  getKpis(db, { asOf: query.asOf ?? new Date(), from: query.from, by: query.by, scope: toKpiScope(query) }),
);
