// Per-namespace coverage: policies indexed by namespace once, every rule visited once.

import { dedupePolicies, type PolicyObject } from "./kube-objects";
import { analyzeNetworkPolicySpec } from "./network-policy";
import type { AllowAnyRule, ImdsRule, NamespaceCoverage, PostureConfig, RuleRef } from "./types";

export interface NamespaceSummary {
  /** Workload namespaces, sorted by name. */
  namespaces: NamespaceCoverage[];
  /** Allow-any rules in workload namespaces, sorted. */
  allowAnyRules: AllowAnyRule[];
  /** Egress rules permitting IMDS in workload namespaces, sorted. */
  imdsRules: ImdsRule[];
  /** Policies after de-duplication, in every namespace (system ones included). */
  totalPolicies: number;
  /** Policies in workload namespaces. */
  workloadPolicies: number;
}

/** Plain code-unit order, so output does not depend on the machine's locale. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Namespace, policy, direction (egress before ingress), index: the order of docs/design.md §6. */
export function compareRuleRefs(a: RuleRef, b: RuleRef): number {
  return (
    compareText(a.namespace, b.namespace) ||
    compareText(a.policy, b.policy) ||
    compareText(a.direction, b.direction) ||
    a.index - b.index
  );
}

function newCoverage(name: string): NamespaceCoverage {
  return { name, defaultDenyIngress: false, defaultDenyEgress: false, allowsDns: false, permitsImds: false, policyCount: 0 };
}

export function summariseNamespaces(
  namespaceNames: Iterable<string>,
  policyObjects: Iterable<PolicyObject>,
  config: PostureConfig,
): NamespaceSummary {
  const system = new Set(config.systemNamespaces);
  const coverage = new Map<string, NamespaceCoverage>();
  for (const name of namespaceNames) {
    if (!system.has(name) && !coverage.has(name)) coverage.set(name, newCoverage(name));
  }

  const allowAnyRules: AllowAnyRule[] = [];
  const imdsRules: ImdsRule[] = [];
  const policies = dedupePolicies(policyObjects);
  let workloadPolicies = 0;
  for (const policy of policies) {
    if (system.has(policy.namespace)) continue;
    workloadPolicies += 1;
    let namespace = coverage.get(policy.namespace);
    if (!namespace) {
      namespace = newCoverage(policy.namespace);
      coverage.set(policy.namespace, namespace);
    }
    const analysis = analyzeNetworkPolicySpec(policy.spec);
    namespace.policyCount += 1;
    if (analysis.defaultDenyIngress) namespace.defaultDenyIngress = true;
    if (analysis.defaultDenyEgress) namespace.defaultDenyEgress = true;
    if (analysis.allowsDns) namespace.allowsDns = true;
    if (analysis.imdsRules.length > 0) namespace.permitsImds = true;
    for (const finding of analysis.allowAnyRules) {
      allowAnyRules.push({
        namespace: policy.namespace,
        policy: policy.name,
        direction: finding.direction,
        index: finding.index,
        class: finding.class,
        rule: finding.rule,
      });
    }
    for (const finding of analysis.imdsRules) {
      imdsRules.push({ namespace: policy.namespace, policy: policy.name, direction: "egress", index: finding.index, rule: finding.rule });
    }
  }

  return {
    namespaces: [...coverage.values()].sort((a, b) => compareText(a.name, b.name)),
    allowAnyRules: allowAnyRules.sort(compareRuleRefs),
    imdsRules: imdsRules.sort(compareRuleRefs),
    totalPolicies: policies.length,
    workloadPolicies,
  };
}
