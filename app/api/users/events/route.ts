import { z } from "zod";
import { withAuth } from "@/lib/auth/with-auth";
import { listAdminEvents } from "@/lib/auth/accounts";

/** The admin trail (account and SLA changes), newest first. */
export const GET = withAuth(z.object({}), { permission: "user:manage" }, ({ db }) => listAdminEvents(db));
