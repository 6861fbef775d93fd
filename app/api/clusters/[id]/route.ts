import { clusterIdParam } from "@/lib/api/cluster-params";
import { withHandler } from "@/lib/auth/with-handler";
import { getClusterDetail } from "@/lib/data/get-cluster-detail";
import { getServerPostureConfig } from "@/lib/data/posture-config";
import { AppError } from "@/lib/errors";

export const GET = withHandler(clusterIdParam, async ({ db, query }) => {
  const detail = await getClusterDetail(db, query.id, getServerPostureConfig());
  if (!detail) throw new AppError("not-found", `cluster ${query.id} does not exist`);
  return detail;
});
