import { toSafeCsv } from "@/lib/csv";
import { CONTROL_IDS } from "@/lib/posture/control-catalogue";
import type { PackContent } from "./pack-content";

/** clusters.csv: one row per cluster in scope, its control outcomes and its outcome per requirement. */
export function evidenceCsv(content: PackContent): string {
  const requirementIds = content.framework.requirements.map((requirement) => requirement.id);
  const fields = [
    "cluster",
    "resource_id",
    "subscription_id",
    "resource_group",
    "owner",
    "production",
    "engine",
    "snapshot_captured_at",
    "rules_version",
    ...CONTROL_IDS,
    ...requirementIds.map((id) => `requirement ${id}`),
    "waived_controls",
    "cluster_document_sha256",
    "in_cluster_document_sha256",
  ];
  const rows = content.clusters.map((cluster) => [
    cluster.name,
    cluster.key,
    cluster.subscriptionId,
    cluster.resourceGroup,
    cluster.owner,
    cluster.production ? "yes" : "no",
    cluster.engine,
    cluster.snapshot.capturedAt,
    cluster.snapshot.rulesVersion,
    ...cluster.controls.map((control) => control.outcome),
    ...requirementIds.map((id) => cluster.requirements[id]),
    cluster.controls
      .filter((control) => control.waiver)
      .map((control) => `${control.id}: ${control.waiver?.reason} (${control.waiver?.approvedBy}, until ${control.waiver?.expiresAt})`)
      .join("; "),
    cluster.documents.clusterSha256,
    cluster.documents.inClusterSha256 ?? "",
  ]);
  // RFC 4180 asks for CRLF; papaparse writes it, and the bytes are the same on every machine.
  return `${toSafeCsv(fields, rows)}\r\n`;
}
