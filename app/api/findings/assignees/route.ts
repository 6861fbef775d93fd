import { z } from "zod";
import { withAuth } from "@/lib/auth/with-auth";
import { listAssignees } from "@/lib/findings/list-assignees";

/** The people and teams findings are assigned to, for the assignee filter and suggestions. */
export const GET = withAuth(z.object({}), { permission: "posture:read" }, ({ db }) => listAssignees(db));
