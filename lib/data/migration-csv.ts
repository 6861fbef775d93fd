// The Migration view's CSV: one row per cluster still on Azure NPM, what the table shows.
import { toSafeCsv } from "@/lib/csv";
import type { MigrationCluster } from "./get-migration-view";
import { VERDICT_LABELS } from "@/lib/migration/verdicts";


const HEADER = ["Cluster", "Owner", "Subscription", "Resource group", "Nodes", "Windows node pools", "Deadline (UTC)", "Days left", "Readiness", "Blockers", "Warnings", "Not checked", "Commands", "Data from (UTC)"];

export function migrationCsv(clusters: readonly MigrationCluster[]): string {
  const titles = (cluster: MigrationCluster, status: string) =>
    cluster.checks
      .filter((check) => check.status === status)
      .map((check) => (check.evidence.length > 0 ? `${check.title} (${check.evidence.length} found)` : check.title))
      .join("; ");
  return toSafeCsv(
    HEADER,
    clusters.map((cluster) => [
      cluster.name,
      cluster.owner,
      cluster.subscriptionName ?? cluster.subscriptionId,
      cluster.resourceGroup,
      cluster.nodeCount,
      cluster.windowsPools.join(" "),
      cluster.deadline,
      cluster.daysLeft,
      VERDICT_LABELS[cluster.verdict],
      titles(cluster, "blocker"),
      titles(cluster, "warning"),
      titles(cluster, "unknown"),
      cluster.commands.join("\n"),
      cluster.capturedAt.slice(0, 16).replace("T", " "),
    ]),
  );
}

/** The export's file name: the view's UTC day, so two downloads of one day have one name. */
export function migrationCsvFileName(today: string): string {
  return `bulkhead_npm-to-cilium_${today}.csv`;
}
