import "server-only";
import type { Database } from "@/lib/db/client";
import type { PostureConfig } from "@/lib/posture";
import { buildClusterDetail } from "./cluster-detail/build-cluster-detail";
import { judgeAgain } from "./cluster-detail/judge-again";
import {
  findInClusterFault,
  findListingFault,
  findStretchWithoutFreshRead,
  MAX_INT4,
  readClusterFindings,
  readClusterRow,
  readLatestCompletedRun,
} from "./cluster-detail/read-cluster-rows";
import type { ClusterDetail } from "./cluster-detail/types";
import type { InClusterState } from "./list-clusters";

export { FINDINGS_SHOWN } from "./cluster-detail/read-cluster-rows";
export type { ClusterDetail, ClusterFinding, SourceFaultSummary } from "./cluster-detail/types";

/**
 * Everything the cluster page shows, from the latest snapshot; remediation comes from judging the
 * stored source documents again, so it carries the full evaluation (IMDS rules, facts). Null when
 * no such cluster exists.
 */
export async function getClusterDetail(db: Database, id: number, config: PostureConfig, now: Date = new Date()): Promise<ClusterDetail | null> {
  if (!Number.isSafeInteger(id) || id < 1 || id > MAX_INT4) return null;
  const [row, latestRun, findings] = await Promise.all([readClusterRow(db, id), readLatestCompletedRun(db), readClusterFindings(db, id, now)]);
  if (!row) return null;
  const inClusterState: InClusterState = !row.has_in_cluster_data ? "none" : row.in_cluster_captured_at ? "carried" : "read";
  const seenInLatestRun = latestRun === null || latestRun.id === row.run_id;

  // Only data that is not fresh needs its why and since when.
  const [inClusterFault, failingSince, listingFault] = await Promise.all([
    inClusterState === "read" ? null : findInClusterFault(db, row.run_id, row.key),
    inClusterState === "read" ? null : findStretchWithoutFreshRead(db, row.id),
    seenInLatestRun || row.deleted_at || !latestRun ? null : findListingFault(db, latestRun.id, row.subscription_id),
  ]);

  return buildClusterDetail({
    row,
    latestRun,
    findings,
    evaluation: judgeAgain(row, config),
    inClusterState,
    seenInLatestRun,
    inClusterFault,
    failingSince,
    listingFault,
    now,
  });
}
