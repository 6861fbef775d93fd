// The control catalogue of docs/design.md §4.4, including its "without an engine" and "without in-cluster data" columns.

import { usesOwnCni } from "./cluster-facts";
import { getControl } from "./control-catalogue";
import type { ClusterJudgement } from "./judge-cluster";
import { formatList, plural, verb } from "./wording";
import type { ClusterFacts, ControlEvidence, ControlId, ControlResult, ControlStatus, Direction, RuleRef } from "./types";

const NOT_READ = "namespaces and policy objects of this cluster were not read";

function result(id: ControlId, status: ControlStatus, reason: string, evidence: ControlEvidence = {}): ControlResult {
  return { id, name: getControl(id).name, status, reason, evidence };
}

/** "ns/policy egress[0]" for a Kubernetes NetworkPolicy; other kinds lead with their kind. */
export function formatRuleRef(rule: RuleRef): string {
  const where = rule.namespace === null ? rule.policy : `${rule.namespace}/${rule.policy}`;
  return `${rule.kind === "NetworkPolicy" ? "" : `${rule.kind} `}${where} ${rule.list}[${rule.index}]`;
}

function toRuleRef(rule: RuleRef): RuleRef {
  return { kind: rule.kind, namespace: rule.namespace, policy: rule.policy, list: rule.list, direction: rule.direction, index: rule.index };
}

export function isPodLinkLocalAccessNone(facts: ClusterFacts): boolean {
  return facts.podLinkLocalAccess?.trim().toLowerCase() === "none";
}

function describeMissingEngine(facts: ClusterFacts): string {
  return facts.engine.startsWith("unknown:")
    ? `network policy "${facts.rawNetworkPolicy ?? facts.engine.slice("unknown:".length)}" is not a known engine`
    : "no network policy engine is enabled";
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function evaluateEngine(facts: ClusterFacts): ControlResult {
  if (facts.engineEnabled) {
    return result("NP-01", "pass", `Network policy engine "${facts.engine}" is enabled, so NetworkPolicies are enforced.`, {
      value: facts.engine,
    });
  }
  // With its own CNI, enforcement (if any) happens outside what AKS reports: say so rather than "not enforced".
  const reason = usesOwnCni(facts)
    ? `${capitalise(describeMissingEngine(facts))} in AKS: the cluster brings its own CNI (networkPlugin none), so NetworkPolicies are enforced only if that CNI enforces them; enable enforcement there.`
    : `${capitalise(describeMissingEngine(facts))}, so NetworkPolicies are not enforced; enable Cilium, Calico or Azure NPM.`;
  return result("NP-01", "fail", reason, { value: facts.engine });
}

function evaluateDefaultDeny(id: "NP-02" | "NP-03", direction: Direction, facts: ClusterFacts, summary: ClusterJudgement | null): ControlResult {
  const lacking = summary?.namespaces
    .filter((namespace) => !(direction === "ingress" ? namespace.defaultDenyIngress : namespace.defaultDenyEgress))
    .map((namespace) => namespace.name);
  if (!facts.engineEnabled) {
    return result(
      id,
      "fail",
      `${capitalise(describeMissingEngine(facts))}, so no default deny for ${direction} is enforced; ${usesOwnCni(facts) ? "enable enforcement in the cluster's own CNI first" : "enable an engine first"} (NP-01).`,
      lacking ? { value: facts.engine, namespaces: lacking } : { value: facts.engine },
    );
  }
  if (!summary || !lacking) return result(id, "n/a", `Default deny for ${direction} cannot be judged: ${NOT_READ}.`);
  const total = summary.namespaces.length;
  if (lacking.length === 0) {
    const reason =
      total === 0
        ? `There are no workload namespaces, so none lacks a default deny for ${direction}.`
        : total === 1
          ? `The only workload namespace denies ${direction} by default.`
          : `All ${total} workload namespaces deny ${direction} by default.`;
    return result(id, "pass", reason, { namespaces: [] });
  }
  return result(
    id,
    "fail",
    `${lacking.length} of ${plural(total, "workload namespace")} ${verb(lacking.length, "has", "have")} no default deny for ${direction} (${formatList(lacking)}): a new pod there ${direction === "ingress" ? "accepts connections from" : "can connect to"} peers nobody planned for; apply a default-deny ${direction} policy in each.`,
    { namespaces: lacking },
  );
}

function evaluateDns(facts: ClusterFacts, summary: ClusterJudgement | null): ControlResult {
  const dnsNote = facts.localDns ? " (and to LocalDNS at 169.254.10.10, which this cluster's node pools run)" : "";
  if (!summary) return result("NP-04", "n/a", `DNS egress cannot be judged: ${NOT_READ}.`);
  const denying = summary.namespaces.filter((namespace) => namespace.defaultDenyEgress);
  if (denying.length === 0) {
    return result("NP-04", "n/a", "No workload namespace denies egress by default, so there is no DNS exception to check.");
  }
  const lacking = denying.filter((namespace) => !namespace.allowsDns).map((namespace) => namespace.name);
  if (lacking.length === 0) {
    const reason =
      denying.length === 1
        ? "The only workload namespace that denies egress by default allows DNS."
        : `All ${denying.length} workload namespaces that deny egress by default allow DNS.`;
    return result("NP-04", "pass", reason, {
      namespaces: [],
    });
  }
  return result(
    "NP-04",
    "fail",
    `${plural(lacking.length, "workload namespace")} ${verb(lacking.length, "denies", "deny")} egress by default without allowing DNS (${formatList(lacking)}); add an egress rule to kube-dns in kube-system on UDP and TCP 53${dnsNote}.`,
    { namespaces: lacking },
  );
}

function evaluateImds(facts: ClusterFacts, summary: ClusterJudgement | null): ControlResult {
  const linkLocal = facts.podLinkLocalAccess ?? "(unset)";
  if (isPodLinkLocalAccessNone(facts)) {
    return result("NP-05", "pass", "podLinkLocalAccess is None, so pods cannot reach the instance metadata service.", {
      value: linkLocal,
    });
  }
  if (!facts.engineEnabled) {
    return result(
      "NP-05",
      "fail",
      `${capitalise(describeMissingEngine(facts))} and podLinkLocalAccess is not None, so pods can reach 169.254.169.254; set podLinkLocalAccess to None, or enable an engine and deny egress by default.`,
      { value: linkLocal },
    );
  }
  if (!summary) return result("NP-05", "n/a", `IMDS egress cannot be judged: podLinkLocalAccess is not None and ${NOT_READ}.`, { value: linkLocal });
  const reaching = summary.namespaces.filter((namespace) => namespace.permitsImds).map((namespace) => namespace.name);
  const rules = uniqueRules(summary.imdsRules.map(toRuleRef));
  if (reaching.length === 0) {
    return result("NP-05", "pass", "No pod of a workload namespace can reach 169.254.169.254: it is refused by default and no egress rule lets it through.", {
      value: linkLocal,
      namespaces: [],
      rules: [],
    });
  }
  const problems = [`pods of ${plural(reaching.length, "workload namespace")} can reach 169.254.169.254 (${formatList(reaching)})`];
  if (rules.length > 0) {
    problems.push(`${plural(rules.length, "egress rule")} ${verb(rules.length, "permits", "permit")} it (${formatList(rules.map(formatRuleRef))})`);
  }
  return result(
    "NP-05",
    "fail",
    `${capitalise(problems.join(" and "))}; deny egress to 169.254.169.254/32 for every pod (a cluster-wide deny, or default deny with IMDS excepted from wide rules), or set podLinkLocalAccess to None.`,
    { value: linkLocal, namespaces: reaching, rules },
  );
}

/** One rule may let pods of several namespaces through; evidence names it once. */
function uniqueRules(rules: readonly RuleRef[]): RuleRef[] {
  const seen = new Set<string>();
  return rules.filter((rule) => {
    const key = formatRuleRef(rule);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function evaluateAllowAny(summary: ClusterJudgement | null): ControlResult {
  if (!summary) return result("NP-06", "n/a", `Allow-any rules cannot be judged: ${NOT_READ}.`);
  const rules = summary.allowAnyRules.map(toRuleRef);
  if (rules.length === 0) return result("NP-06", "pass", "No allow rule for a workload namespace admits peers nobody planned for on any port.", { rules: [] });
  return result(
    "NP-06",
    "fail",
    `${plural(rules.length, "allow rule")} ${verb(rules.length, "admits", "admit")} any peer from outside or inside the cluster on any port (${formatList(rules.map(formatRuleRef))}); narrow ${verb(rules.length, "its", "their")} peers or list ${verb(rules.length, "its", "their")} ports.`,
    { rules },
  );
}

function evaluatePoliciesPresent(facts: ClusterFacts, summary: ClusterJudgement | null): ControlResult {
  if (!facts.engineEnabled) {
    return result("NP-07", "n/a", `${capitalise(describeMissingEngine(facts))}, so no policy object would be enforced; see NP-01.`);
  }
  if (!summary) return result("NP-07", "n/a", `NetworkPolicies cannot be counted: ${NOT_READ}.`);
  const count = summary.workloadPolicies.length;
  if (count > 0) {
    return result("NP-07", "pass", `${plural(count, "enforced policy object")} ${verb(count, "applies", "apply")} to workload namespaces.`, {
      value: String(count),
      policies: summary.workloadPolicies,
    });
  }
  return result("NP-07", "fail", "No policy object the engine enforces applies to any workload namespace; start with a default deny in each.", {
    value: "0",
    namespaces: summary.namespaces.map((namespace) => namespace.name),
  });
}

/** All seven controls, in catalogue order; `summary` is null when in-cluster data was not read. */
export function evaluateControls(facts: ClusterFacts, summary: ClusterJudgement | null): ControlResult[] {
  return [
    evaluateEngine(facts),
    evaluateDefaultDeny("NP-02", "ingress", facts, summary),
    evaluateDefaultDeny("NP-03", "egress", facts, summary),
    evaluateDns(facts, summary),
    evaluateImds(facts, summary),
    evaluateAllowAny(summary),
    evaluatePoliciesPresent(facts, summary),
  ];
}
