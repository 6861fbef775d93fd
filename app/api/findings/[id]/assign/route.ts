import { z } from "zod";
import { withAuth } from "@/lib/auth/with-auth";
import { assignFindings, assignInput } from "@/lib/findings/finding-actions";

const input = assignInput.extend({ id: z.coerce.number().int().positive("must be a finding id") });

export const POST = withAuth(input, { permission: "finding:assign", body: true }, ({ db, query, user }) =>
  assignFindings(db, { ids: [query.id], assignee: query.assignee, dueAt: query.dueAt, actor: user.email }),
);
