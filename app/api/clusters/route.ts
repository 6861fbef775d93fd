import { clusterListQuery } from "@/lib/api/cluster-params";
import { withHandler } from "@/lib/auth/with-handler";
import { listClusters } from "@/lib/data/list-clusters";

export const GET = withHandler(clusterListQuery, ({ db, query }) => listClusters(db, query));
