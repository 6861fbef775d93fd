import { packHeader, type PackContent } from "./pack-content";

/**
 * controls.json: every control result of every cluster in scope with its evidence, the waiver and
 * finding in force, and the SHA-256 of the stored documents it was judged from. No clock time and no
 * user: the same as-of and scope give the same bytes (docs/compliance.md).
 */
export function evidenceJson(content: PackContent): string {
  const document = {
    format: "bulkhead-evidence/1",
    framework: content.framework,
    ...packHeader(content),
    totals: content.totals,
    requirements: content.requirements,
    groups: content.groups,
    clusters: content.clusters.map((cluster) => ({
      key: cluster.key,
      name: cluster.name,
      resourceGroup: cluster.resourceGroup,
      subscriptionId: cluster.subscriptionId,
      owner: cluster.owner,
      production: cluster.production,
      engine: cluster.engine,
      snapshot: cluster.snapshot,
      documents: cluster.documents,
      requirements: cluster.requirements,
      controls: cluster.controls,
    })),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}
