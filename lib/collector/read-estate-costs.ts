import { nodeResourceGroupOf, type ClusterCost, type CostTarget } from "@/lib/costs/cluster-cost";
import type { ClusterFacts } from "@/lib/posture";
import type { PostureSource } from "@/lib/sources/source";
import type { RunFault } from "./progress";

/**
 * The costs of a run's listed clusters (docs/costs.md), when its source reads costs. A subscription
 * without cost access is a `cost` fault and its clusters' spend stays missing; a source that throws
 * is one fault for the run's costs: collection never fails for want of money figures.
 */
export async function readEstateCosts(
  source: Pick<PostureSource, "readCosts" | "kind">,
  listed: { raw: unknown; facts: ClusterFacts }[],
  capturedAt: Date,
  onFault: (fault: RunFault) => void,
  signal?: AbortSignal,
): Promise<ClusterCost[] | undefined> {
  if (!source.readCosts) return undefined;
  const targets = listed.map(({ raw, facts }): CostTarget => ({
    clusterKey: facts.key,
    id: facts.id,
    subscriptionId: facts.subscriptionId.toLowerCase(),
    resourceGroup: facts.resourceGroup,
    nodeResourceGroup: nodeResourceGroupOf(raw),
  }));
  try {
    const reading = await source.readCosts(targets, capturedAt, signal);
    for (const { target, fault } of reading.faults) onFault({ scope: "cost", target, ...fault });
    return reading.costs;
  } catch (error) {
    signal?.throwIfAborted();
    onFault({ scope: "cost", target: source.kind, cause: "unknown", message: `reading costs: ${error instanceof Error ? error.message : String(error)}` });
    return undefined;
  }
}
