import type pg from "pg";
import { copyRows } from "@/lib/db/copy-rows";
import type { ClusterCost } from "./cluster-cost";

/**
 * A run's cost statements, in the run's transaction: kept per run, the latest run's statement of a
 * day is read. Written once per run, by COPY: a source that states a cluster's day twice keeps
 * the first statement (as an insert that skipped conflicts did).
 */
export async function insertClusterCosts(client: pg.ClientBase, runId: number, costs: readonly ClusterCost[]): Promise<void> {
  const first = new Map<string, ClusterCost>();
  for (const cost of costs) {
    const key = `${cost.clusterKey}\u0000${cost.day}`;
    if (!first.has(key)) first.set(key, cost);
  }
  await copyRows(client, "cluster_costs", [
    { name: "run_id", value: () => runId },
    { name: "cluster_key", value: (c: ClusterCost) => c.clusterKey },
    { name: "day", value: (c) => c.day },
    { name: "cost", value: (c) => c.cost },
    { name: "currency", value: (c) => c.currency },
  ], [...first.values()]);
}
