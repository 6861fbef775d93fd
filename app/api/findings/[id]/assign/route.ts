import { idNumber } from "@/lib/api/bounds";
import { withAuth } from "@/lib/auth/with-auth";
import { assignFindings, assignInput } from "@/lib/findings/finding-actions";

const input = assignInput.extend({ id: idNumber("a finding id") });

export const POST = withAuth(input, { permission: "finding:assign", body: true }, ({ db, query, user }) =>
  assignFindings(db, { ids: [query.id], assignee: query.assignee, dueAt: query.dueAt, dueReason: query.dueReason, actor: user.email }),
);
