import { z } from "zod";
import { MAX_ID } from "@/lib/api/bounds";
import { withAuth } from "@/lib/auth/with-auth";
import { assignFindings, assignInput, MAX_BULK_ASSIGN } from "@/lib/findings/finding-actions";

const bulkAssign = assignInput.extend({ ids: z.array(z.number().int().positive().max(MAX_ID, `ids: at most ${MAX_ID}`)).min(1).max(MAX_BULK_ASSIGN) });

/** Bulk assign: the same assignee (and due date) for many findings at once. */
export const POST = withAuth(bulkAssign, { permission: "finding:assign", body: true }, ({ db, query, user }) =>
  assignFindings(db, { ids: query.ids, assignee: query.assignee, dueAt: query.dueAt, actor: user.email }),
);
