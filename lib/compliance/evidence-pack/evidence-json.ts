import { withJudgements, type Judgements } from "../get-control-results";
import { packHeader, type PackCluster, type PackContent } from "./pack-content";

/**
 * controls.json: every control result of every cluster in scope with its evidence, the waiver and
 * finding in force, and the SHA-256 of the stored documents it was judged from. No clock time and no
 * user: the same as-of and scope give the same bytes (docs/compliance.md).
 *
 * Written in pieces so that no more than a page of clusters' evidence is held at once, with the exact
 * text of `JSON.stringify(document, null, 2)` of the whole document and a final newline:
 * evidenceJsonStart, then evidenceJsonCluster for each cluster in order, then evidenceJsonEnd.
 */
export function evidenceJsonStart(content: PackContent): string {
  const whole = JSON.stringify(
    {
      format: "bulkhead-evidence/1",
      framework: content.framework,
      ...packHeader(content),
      totals: content.totals,
      requirements: content.requirements,
      groups: content.groups,
      clusters: [],
    },
    null,
    2,
  );
  // `clusters` is the last key: without clusters the document ends `"clusters": []\n}`.
  if (content.clusters.length === 0) return `${whole}\n`;
  return `${whole.slice(0, -"]\n}".length)}\n`;
}

/** Indentation of a cluster: an element of the array under the document's last key. */
const ELEMENT_INDENT = "    ";

/** One cluster of the `clusters` array, with the separator before it unless it is the first. */
export function evidenceJsonCluster(cluster: PackCluster, judgements: Judgements, first: boolean): string {
  const judged = withJudgements(cluster, judgements);
  const element = {
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
    controls: judged.controls,
  };
  // JSON.stringify escapes newlines inside strings, so every "\n" here is a line break of the layout.
  return `${first ? "" : ",\n"}${ELEMENT_INDENT}${JSON.stringify(element, null, 2).replace(/\n/g, `\n${ELEMENT_INDENT}`)}`;
}

export function evidenceJsonEnd(content: PackContent): string {
  return content.clusters.length === 0 ? "" : "\n  ]\n}\n";
}
