import { overdueByOwnerQuery } from "@/lib/api/dashboard-params";
import { toKpiScope } from "@/lib/api/params";
import { withAuth } from "@/lib/auth/with-auth";
import { getOverdueByOwner } from "@/lib/findings/get-overdue-by-owner";

/** Overdue findings per owner tag, most first (the Overview's "who owns the overdue risk"). */
export const GET = withAuth(overdueByOwnerQuery, { permission: "posture:read" }, ({ db, query }) =>
  getOverdueByOwner(db, { scope: toKpiScope(query), now: query.asOf, limit: query.limit }),
);
