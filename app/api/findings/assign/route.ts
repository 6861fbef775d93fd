import { z } from "zod";
import { MAX_ID } from "@/lib/api/bounds";
import { scopeParams } from "@/lib/api/params";
import { withAuth } from "@/lib/auth/with-auth";
import { AppError } from "@/lib/errors";
import { assignFindings, assignInput, MAX_BULK_ASSIGN } from "@/lib/findings/finding-actions";
import { findingFilterParams, listMatchingFindings } from "@/lib/findings/list-findings";

const bulkAssign = assignInput.extend({
  ids: z.array(z.number().int().positive().max(MAX_ID, `ids: at most ${MAX_ID}`)).min(1).max(MAX_BULK_ASSIGN).optional(),
  /** "Select all N matching": the list's filters and the number the person saw; a different count now is refused. */
  match: findingFilterParams.extend(scopeParams.shape).extend({ expected: z.number().int().min(1).max(MAX_BULK_ASSIGN) }).optional(),
});

/** Bulk assign: the same assignee (and due date) for the findings picked, or for every finding a filter matches. */
export const POST = withAuth(bulkAssign, { permission: "finding:assign", body: true }, async ({ db, query, user }) => {
  let ids = query.ids;
  if (query.match) {
    const { expected, ...filters } = query.match;
    if (filters.status === "all" || filters.status === "resolved") {
      throw new AppError("bad-request", "match: resolved findings cannot be assigned; select on the Active, Open, Overdue or Waived tab");
    }
    const matching = await listMatchingFindings(db, filters, { limit: MAX_BULK_ASSIGN + 1 });
    if (matching.total > MAX_BULK_ASSIGN) throw new AppError("bad-request", `match: ${matching.total} findings match; at most ${MAX_BULK_ASSIGN} can be changed at once, so narrow the filters`);
    if (matching.total !== expected) {
      throw new AppError("conflict", `match: ${matching.total} findings match these filters now, not ${expected} as when you selected them; check the list and select again`);
    }
    ids = matching.rows.map((row) => row.id);
  }
  if (!ids?.length) throw new AppError("bad-request", "ids: give the findings to change, or a match");
  return assignFindings(db, { ids, assignee: query.assignee, dueAt: query.dueAt, dueReason: query.dueReason, actor: user.email });
});
