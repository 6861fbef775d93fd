import { z } from "zod";
import { withAuth } from "@/lib/auth/with-auth";
import { MAX_SLA_DAYS } from "@/lib/findings/control-policy";
import { getSlaSettings, updateSlaSettings } from "@/lib/findings/finding-settings";
import { CONTROLS } from "@/lib/posture";

export const GET = withAuth(z.object({}), { permission: "posture:read" }, ({ db }) => getSlaSettings(db));

const update = z.object({
  changes: z.array(z.object({ controlId: z.string().max(16, "must be a control id, e.g. NP-01"), slaDays: z.number().int().min(1).max(MAX_SLA_DAYS) })).min(1).max(CONTROLS.length),
});

export const PUT = withAuth(update, { permission: "settings:manage", body: true }, ({ db, query, user }) => updateSlaSettings(db, query.changes, user.email));
