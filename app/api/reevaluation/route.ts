import { z } from "zod";
import { withAuth } from "@/lib/auth/with-auth";
import { withHandler } from "@/lib/auth/with-handler";
import { startReevaluation } from "@/lib/collector/reevaluate/start-reevaluation";
import { RUN_LOCK_KEY } from "@/lib/collector/run-record";
import { readRulesStatus } from "@/lib/data/rules-status";

/** Where the store stands against this version's rules, and the latest re-evaluation (every signed-in user sees the notice). */
export const GET = withHandler(z.object({}), ({ db }) => readRulesStatus(db.pool, RUN_LOCK_KEY));

/** Admins: judge the stored history again under this version's rules (docs/reevaluate.md). */
export const POST = withAuth(z.object({}), { permission: "history:reevaluate", body: true }, ({ db, user }) => startReevaluation(db, user.email));
