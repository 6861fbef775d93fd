import type { RunCollectionResult } from "@/lib/collector/run-collection";

/** The end-of-run summary printed by collect and import: what was seen, coverage, errors by cause. */
export function formatRunSummary(result: RunCollectionResult): string {
  const coverage = result.clustersSeen === 0 ? "0" : ((result.clustersWithInCluster / result.clustersSeen) * 100).toFixed(1);
  const lines = [
    `Run #${result.runId} ${result.status} in ${(result.durationMs / 1000).toFixed(1)} s (captured ${result.capturedAt.toISOString()})`,
    `  subscriptions listed: ${result.subscriptionsListed}, failed: ${result.subscriptionsFailed}`,
    `  clusters seen: ${result.clustersSeen}, in-cluster coverage: ${result.clustersWithInCluster}/${result.clustersSeen} (${coverage}%), deleted: ${result.clustersDeleted}`,
    `  findings opened: ${result.findingsOpened}, resolved: ${result.findingsResolved}`,
  ];
  if (result.faults.length > 0) {
    const byCause = new Map<string, number>();
    for (const fault of result.faults) byCause.set(fault.cause, (byCause.get(fault.cause) ?? 0) + 1);
    lines.push(`  errors: ${result.faults.length} (${[...byCause.entries()].map(([cause, n]) => `${cause}: ${n}`).join(", ")})`);
    for (const fault of result.faults.slice(0, 20)) lines.push(`    - [${fault.scope}] ${fault.target}: ${fault.message}`);
    if (result.faults.length > 20) lines.push(`    … and ${result.faults.length - 20} more (see the Runs page)`);
  } else {
    lines.push("  errors: none");
  }
  return lines.join("\n");
}
