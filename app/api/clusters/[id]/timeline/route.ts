import { clusterTimelineQuery } from "@/lib/api/cluster-params";
import { withHandler } from "@/lib/auth/with-handler";
import { getClusterTimeline } from "@/lib/data/get-cluster-timeline";
import { AppError } from "@/lib/errors";

export const GET = withHandler(clusterTimelineQuery, async ({ db, query }) => {
  const timeline = await getClusterTimeline(db, query.id, query.days);
  if (!timeline) throw new AppError("not-found", `cluster ${query.id} does not exist`);
  return timeline;
});
