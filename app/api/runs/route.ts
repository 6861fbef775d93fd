import { runListQuery } from "@/lib/api/run-params";
import { withHandler } from "@/lib/auth/with-handler";
import { failRunsWithoutLockHolder } from "@/lib/collector/run-record";
import { listRuns } from "@/lib/data/list-runs";

// A run whose process died shows as failed the moment someone looks, not when the next run starts.
export const GET = withHandler(runListQuery, async ({ db, query }) => {
  await failRunsWithoutLockHolder(db.pool);
  return listRuns(db, query);
});
