import { runListQuery } from "@/lib/api/run-params";
import { withHandler } from "@/lib/auth/with-handler";
import { listRuns } from "@/lib/data/list-runs";

export const GET = withHandler(runListQuery, ({ db, query }) => listRuns(db, query));
