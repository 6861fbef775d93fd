// `bulkhead analyze --connectivity` (who reaches whom in a set of manifests) and `--against BASE...`
// (the connections a change adds and removes), docs/design.md §4.5 and §6, docs/reachability.md.

import Table from "cli-table3";
import { createColors } from "picocolors";

import { namespaceShare, type ClusterJudgement, type Reachability } from "../../lib/posture";
import type { ClassIdentity, Connection, ReachabilityChanges } from "../../lib/posture/reachability-diff";
import { plural } from "../../lib/posture/wording";

type Colors = ReturnType<typeof createColors>;

function newTable(head: string[], colors: Colors): Table.Table {
  return new Table({ head: head.map((title) => colors.bold(title)), style: { head: [], border: [], compact: true } });
}

/** "shop/app=web,tier=front", or "shop/* (new pods)" for a namespace's stranger pod. */
export function formatClass(cls: ClassIdentity): string {
  if (cls.labels === null) return `${cls.namespace}/* (new pods)`;
  const labels = Object.entries(cls.labels)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, value]) => `${key}=${value}`)
    .join(",");
  return `${cls.namespace}/${labels === "" ? "(no labels)" : labels}`;
}

function formatPercent(value: number | null): string {
  return value === null ? "n/a" : `${value.toFixed(1)} %`;
}

/** The readable JSON of `--connectivity --json`: names instead of positions, per class what it reaches. */
export function toConnectivityJson(reachability: Reachability): unknown {
  const document = reachability.document;
  return {
    exposure: document.exposure,
    pods: document.pods,
    ports: document.ports,
    namespaces: document.namespaces.map((name, index) => ({ name, pods: document.namespacePods[index] })),
    namespacePairs: document.namespacePairs.map(([from, to, pods]) => ({
      from: document.namespaces[from],
      to: document.namespaces[to],
      pods,
      share: namespaceShare(document, from, to),
    })),
    classes: reachability.classes.map((cls, index) => ({
      namespace: cls.namespace,
      labels: cls.labels,
      pods: cls.count,
      reachablePods: document.classes[index]?.reachablePods,
      internetExposed: reachability.internetExposed(index),
      reachesImds: reachability.reachesImds(index),
      reaches: reachability.namespacesReachedBy(index),
    })),
  };
}

export function formatConnectivityReport(judgement: ClusterJudgement, colors: Colors): string {
  const reachability = judgement.reachability;
  const document = reachability.document;
  const lines: string[] = [];
  lines.push(
    colors.bold(`Lateral exposure: ${formatPercent(document.exposure)}`) +
      ` (${plural(document.pods, "pod")} in ${plural(reachability.classes.length, "class", "classes")}, ${plural(document.namespaces.length, "namespace")}; ${judgement.hasPodData ? "pods from the Pods and workloads given" : "no Pods or workloads given: each namespace counts as one new pod"})`,
  );
  lines.push(`Ports examined: ${document.ports.join(", ")}`);
  const exposed = reachability.classes.filter((_, index) => reachability.internetExposed(index));
  const imds = reachability.classes.filter((_, index) => reachability.reachesImds(index));
  lines.push("", colors.bold(`Reachable from outside the cluster (${exposed.length})`), exposed.length === 0 ? "none" : exposed.map((cls) => `  ${formatClass(cls)}`).join("\n"));
  lines.push("", colors.bold(`Reach IMDS (${imds.length})`), imds.length === 0 ? "none" : imds.map((cls) => `  ${formatClass(cls)}`).join("\n"));

  lines.push("", colors.bold(`Namespace reachability (${plural(document.namespacePairs.length, "pair")})`));
  if (document.namespacePairs.length === 0) {
    lines.push("none");
  } else {
    const table = newTable(["From", "To", "Pods reached", "Share of its pods"], colors);
    for (const [from, to, pods] of document.namespacePairs) {
      const share = namespaceShare(document, from, to);
      const cell = formatPercent(share);
      table.push([document.namespaces[from] as string, document.namespaces[to] as string, `${pods} of ${document.namespacePods[to]}`, from !== to && share !== null && share > 0 ? colors.yellow(cell) : cell]);
    }
    lines.push(table.toString());
  }

  lines.push("", colors.bold(`Classes (${reachability.classes.length})`));
  const table = newTable(["Class", "Pods", "Reaches pods", "Namespaces reached", "From outside", "IMDS"], colors);
  reachability.classes.forEach((cls, index) => {
    const entry = document.classes[index];
    table.push([
      formatClass(cls),
      String(cls.count),
      String(entry?.reachablePods ?? 0),
      reachability
        .namespacesReachedBy(index)
        .map((reached) => reached.namespace)
        .join(", ") || "none",
      reachability.internetExposed(index) ? colors.red("yes") : "no",
      reachability.reachesImds(index) ? colors.red("yes") : "no",
    ]);
  });
  lines.push(table.toString());
  return `${lines.join("\n")}\n`;
}

function describeConnection(connection: Connection): string {
  const from = connection.from === null ? "outside the cluster" : formatClass(connection.from);
  const to = connection.to === null ? "IMDS (169.254.169.254)" : formatClass(connection.to);
  const ports = connection.ports.length > 0 ? ` on ${connection.ports.join(", ")}` : "";
  const tag = connection.kind === "outside" ? " [from outside]" : connection.kind === "imds" ? " [IMDS]" : connection.crossNamespace ? " [across namespaces]" : "";
  return `${from} → ${to}${ports}${tag}`;
}

export const AGAINST_VERDICT = {
  fails: "FAIL: the change adds reachability from outside the cluster, to IMDS or across namespaces.",
  passes: "PASS: the change adds no reachability from outside the cluster, to IMDS or across namespaces.",
} as const;

export function formatChangesReport(changes: ReachabilityChanges, colors: Colors): string {
  const lines: string[] = [];
  const risky = (connection: Connection): boolean => connection.kind !== "pod" || connection.crossNamespace;
  lines.push(colors.bold(`Connections added (${changes.added.length})`));
  lines.push(changes.added.length === 0 ? "none" : changes.added.map((connection) => `  + ${risky(connection) ? colors.red(describeConnection(connection)) : describeConnection(connection)}`).join("\n"));
  lines.push("", colors.bold(`Connections removed (${changes.removed.length})`));
  lines.push(changes.removed.length === 0 ? "none" : changes.removed.map((connection) => `  - ${colors.green(describeConnection(connection))}`).join("\n"));
  lines.push("", `Lateral exposure: ${formatPercent(changes.exposure.base)} → ${formatPercent(changes.exposure.head)}`);
  lines.push("", changes.addsRisk ? colors.red(colors.bold(AGAINST_VERDICT.fails)) : colors.green(colors.bold(AGAINST_VERDICT.passes)));
  return `${lines.join("\n")}\n`;
}

export function toChangesJson(changes: ReachabilityChanges): unknown {
  return { added: changes.added, removed: changes.removed, exposure: changes.exposure, addsRisk: changes.addsRisk };
}
