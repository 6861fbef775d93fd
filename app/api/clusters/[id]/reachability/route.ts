import { clusterReachabilityQuery } from "@/lib/api/cluster-params";
import { withHandler } from "@/lib/auth/with-handler";
import { getReachabilityExplanation } from "@/lib/data/get-reachability-explanation";
import { getServerPostureConfig } from "@/lib/data/posture-config";

/** One cell of the cluster page's reachability matrix, explained: who admits it each way and the smallest change that stops it. */
export const GET = withHandler(clusterReachabilityQuery, async ({ db, query }) =>
  getReachabilityExplanation(db, { clusterId: query.id, from: query.from, to: query.to }, getServerPostureConfig()),
);
