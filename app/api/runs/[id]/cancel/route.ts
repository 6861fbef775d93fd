import { z } from "zod";
import { idNumber } from "@/lib/api/bounds";
import { withAuth } from "@/lib/auth/with-auth";
import { requestRunCancel } from "@/lib/collector/run-record";

const input = z.object({ id: idNumber("a run id") });

/** Admins stop a running collection: it ends as `cancelled` without writing anything. */
export const POST = withAuth(input, { permission: "collection:run", body: true }, ({ db, query, user }) => requestRunCancel(db, query.id, user.email));
