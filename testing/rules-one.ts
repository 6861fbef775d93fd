// Rules version 1, as far as tests need it to build a store "judged before the upgrade"
// (docs/design.md §4.2): only networking.k8s.io/v1 NetworkPolicies count, and a namespace denies a
// direction by default only when a policy selecting all its pods declares that direction and has no
// rule in it. Everything else is left as rules version 2 judges it.
import { evaluateCluster, type ClusterEvaluation, type ControlResult, type InClusterData, type PostureConfig } from "@/lib/posture";

interface Policy {
  metadata?: { namespace?: string };
  spec?: { podSelector?: { matchLabels?: object; matchExpressions?: unknown[] }; policyTypes?: string[]; ingress?: unknown[]; egress?: unknown[] };
}

function deniesByDefault(policies: Policy[], namespace: string, direction: "Ingress" | "Egress"): boolean {
  return policies.some((policy) => {
    const spec = policy.spec ?? {};
    const selectsAll = Object.keys(spec.podSelector?.matchLabels ?? {}).length === 0 && (spec.podSelector?.matchExpressions ?? []).length === 0;
    const rules = direction === "Ingress" ? spec.ingress : spec.egress;
    return (policy.metadata?.namespace ?? "default") === namespace && selectsAll && (spec.policyTypes ?? ["Ingress"]).includes(direction) && (rules ?? []).length === 0;
  });
}

/** The evaluator of rules version 1, for Judge parameters (reevaluateStore) in tests. */
export function judgeWithRulesOne(cluster: unknown, inCluster: InClusterData | null, config: PostureConfig): ClusterEvaluation {
  const evaluation = evaluateCluster(cluster, inCluster ? { namespaces: inCluster.namespaces, policies: inCluster.policies } : null, config);
  // Rules version 1 stored no reachability (docs/design.md §4.5 came with version 2).
  if (!inCluster || !evaluation.facts.engineEnabled) return { ...evaluation, rulesVersion: 1, policies: [], problems: [], reachability: null };
  const policies = inCluster.policies as Policy[];
  const namespaces = evaluation.namespaces.map((namespace) => ({
    ...namespace,
    defaultDenyIngress: deniesByDefault(policies, namespace.name, "Ingress"),
    defaultDenyEgress: deniesByDefault(policies, namespace.name, "Egress"),
  }));
  const verdict = (control: ControlResult, pass: boolean): ControlResult => ({ ...control, status: pass ? "pass" : "fail", reason: `${control.reason} (rules version 1)` });
  const controls = evaluation.controls.map((control) => {
    if (control.id === "NP-02") return verdict(control, namespaces.every((namespace) => namespace.defaultDenyIngress));
    if (control.id === "NP-03") return verdict(control, namespaces.every((namespace) => namespace.defaultDenyEgress));
    return control;
  });
  return { ...evaluation, rulesVersion: 1, controls, namespaces, policies: [], problems: [], reachability: null };
}
