import { z } from "zod";
import { withAuth } from "@/lib/auth/with-auth";
import { undoAssignment } from "@/lib/findings/finding-actions";

const input = z.object({ batch: z.uuid("must be the id of an assignment") });

/** Takes back one assignment (a bulk action's undo). */
export const POST = withAuth(input, { permission: "finding:assign", body: true }, ({ db, query, user }) => undoAssignment(db, { batch: query.batch, actor: user.email }));
