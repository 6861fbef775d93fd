import type pg from "pg";
import { bulkInsert } from "@/lib/db/bulk-insert";
import type { ClusterCost } from "./cluster-cost";

/** A run's cost statements, in the run's transaction: kept per run, the latest run's statement of a day is read. */
export async function insertClusterCosts(client: pg.ClientBase, runId: number, costs: readonly ClusterCost[]): Promise<void> {
  if (costs.length === 0) return;
  await bulkInsert(client, "cluster_costs", [
    { name: "run_id", type: "int4", value: () => runId },
    { name: "cluster_key", type: "text", value: (c: ClusterCost) => c.clusterKey },
    { name: "day", type: "date", value: (c) => c.day },
    { name: "cost", type: "numeric", value: (c) => c.cost },
    { name: "currency", type: "text", value: (c) => c.currency },
  ], costs, "ON CONFLICT DO NOTHING");
}
