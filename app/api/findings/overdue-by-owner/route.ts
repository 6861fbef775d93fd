import { z } from "zod";
import { boundedDateTime } from "@/lib/api/bounds";
import { scopeParams, toKpiScope } from "@/lib/api/params";
import { withAuth } from "@/lib/auth/with-auth";
import { DEFAULT_OVERDUE_OWNER_LIMIT, getOverdueByOwner } from "@/lib/findings/get-overdue-by-owner";

const query = scopeParams.extend({
  asOf: boundedDateTime.optional(),
  limit: z.coerce.number().int("must be from 1 to 50").min(1, "must be from 1 to 50").max(50, "must be from 1 to 50").default(DEFAULT_OVERDUE_OWNER_LIMIT),
});

/** Overdue findings per owner tag, most first (the Overview's "who owns the overdue risk"). */
export const GET = withAuth(query, { permission: "posture:read" }, ({ db, query }) =>
  getOverdueByOwner(db, { scope: toKpiScope(query), now: query.asOf, limit: query.limit }),
);
