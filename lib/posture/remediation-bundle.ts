// One apply-all bundle per cluster: every Kubernetes NetworkPolicy the per-namespace fixes ask for,
// deduplicated and in a safe order, as one YAML file for `kubectl apply -f`. Pure.
import { buildAllowDnsPolicy, buildDefaultDenyPolicy, controllerManifests, detectIngressControllers, renderYamlDocuments, REMEDIATION_POLICY_NAMES, type NetworkPolicyManifest } from "./remediation";
import type { ClusterEvaluation, ControlId } from "./types";

export interface RemediationBundle {
  /** The manifests, ordered by namespace, then deny ingress, deny egress, DNS, ingress-controller allows. */
  manifests: NetworkPolicyManifest[];
  yaml: string;
  /** The same, one YAML per namespace (for reading, collapsed). */
  byNamespace: { namespace: string; names: string[]; yaml: string }[];
  /** The controls this bundle fixes (those whose fix is a per-namespace NetworkPolicy). */
  fixes: ControlId[];
  /** What the bundle cannot do and a person still must (from the other controls' fixes). */
  notes: string[];
  fileName: string;
  command: string;
}

const ORDER: string[] = [
  REMEDIATION_POLICY_NAMES.denyIngress,
  REMEDIATION_POLICY_NAMES.denyEgress,
  REMEDIATION_POLICY_NAMES.allowDns,
  REMEDIATION_POLICY_NAMES.allowControllerIngress,
  REMEDIATION_POLICY_NAMES.allowFromController,
];

const BUNDLED: readonly ControlId[] = ["NP-02", "NP-03", "NP-04", "NP-05", "NP-07"];

/** A file name from the cluster's name: lower case, safe in a shell and on every file system. */
export function bundleFileName(clusterName: string): string {
  const safe = clusterName.toLowerCase().replace(/[^a-z0-9._-]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 80) || "cluster";
  return `bulkhead-fix-${safe}.yaml`;
}

/**
 * The bundle for a judged cluster, or null when no per-namespace NetworkPolicy would help. It holds
 * only what the generated fixes hold (default denies, the DNS allow, an ingress controller's own
 * traffic): nothing in it widens access. Engine changes (NP-01), patches of existing rules (NP-05)
 * and allow-any rules (NP-06) need a person and are named in `notes`.
 */
export function buildRemediationBundle(evaluation: ClusterEvaluation): RemediationBundle | null {
  const failing = new Set(evaluation.controls.filter((control) => control.status === "fail").map((control) => control.id));
  const fixes = BUNDLED.filter((id) => failing.has(id));
  if (fixes.length === 0) return null;
  const namespaces = evaluation.hasInClusterData ? evaluation.namespaces : [{ name: "default", defaultDenyIngress: false, defaultDenyEgress: false, allowsDns: true }];
  const controllers = detectIngressControllers(evaluation);
  const needIngress = namespaces.filter((namespace) => !namespace.defaultDenyIngress).map((namespace) => namespace.name);
  const manifests: NetworkPolicyManifest[] = [];
  for (const namespace of namespaces) {
    if (!namespace.defaultDenyIngress) manifests.push(buildDefaultDenyPolicy(namespace.name, "ingress"));
    if (!namespace.defaultDenyEgress) manifests.push(buildDefaultDenyPolicy(namespace.name, "egress"));
    if (!namespace.defaultDenyEgress || namespace.allowsDns === false) manifests.push(buildAllowDnsPolicy(namespace.name, { localDns: evaluation.facts.localDns }));
  }
  // An ingress controller must still reach the backends whose ingress this file closes, and only
  // those: a namespace that already denies ingress keeps exactly the peers it allows today.
  if (needIngress.length > 0) manifests.push(...controllerManifests(controllers, needIngress));
  const unique = new Map<string, NetworkPolicyManifest>();
  for (const manifest of manifests) unique.set(`${manifest.kind}/${manifest.metadata.namespace}/${manifest.metadata.name}`, manifest);
  const ordered = [...unique.values()].sort(
    (a, b) => a.metadata.namespace.localeCompare(b.metadata.namespace) || ORDER.indexOf(a.metadata.name) - ORDER.indexOf(b.metadata.name),
  );
  if (ordered.length === 0) return null;
  const byNamespace = [...new Set(ordered.map((manifest) => manifest.metadata.namespace))].map((namespace) => {
    const own = ordered.filter((manifest) => manifest.metadata.namespace === namespace);
    return { namespace, names: own.map((manifest) => manifest.metadata.name), yaml: renderYamlDocuments(own) };
  });
  const notes: string[] = [];
  if (!evaluation.hasInClusterData) notes.push("Namespaces were not read for this cluster, so the bundle is written for `default`: copy it for every workload namespace.");
  if (failing.has("NP-01")) notes.push("NP-01: no policy engine enforces these policies yet; enable one first (see its fix).");
  if (failing.has("NP-06")) notes.push("NP-06: allow-any rules stay until their owners tighten them; while they exist, the namespaces they sit in do not deny by default.");
  if (failing.has("NP-05") && evaluation.imdsRules.some((rule) => rule.kind === "NetworkPolicy")) notes.push("NP-05: existing egress rules that admit 169.254.169.254 need the patch shown under NP-05.");
  const fileName = bundleFileName(evaluation.facts.name);
  return { manifests: ordered, yaml: renderYamlDocuments(ordered), byNamespace, fixes, notes, fileName, command: `kubectl apply -f ${fileName}` };
}
