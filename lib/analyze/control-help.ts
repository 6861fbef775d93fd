// Help for each control as CI tools show it beside a finding (SARIF rule help): what the control
// asks, and the remediation Bulkhead itself writes, taken from the evaluator's remediation builder on
// a sample cluster that fails it, so the help never drifts from the fix the dashboard offers.

import { ALLOW_ANY_CLASS_ADVICE, buildRemediation, evaluateCluster, getControl, type ControlId, type RemediationItem } from "../posture";

const SAMPLE_NAMESPACE = "my-namespace";

/**
 * Sample clusters that fail each control: one with no engine (NP-01), one with Azure NPM whose only
 * namespace lacks everything (NP-02, NP-03, NP-05), one whose namespace denies egress and blocks DNS (NP-04).
 */
function sampleRemediation(): RemediationItem[] {
  const cluster = (networkProfile: Record<string, string>) => ({
    id: "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/my-group/providers/Microsoft.ContainerService/managedClusters/my-cluster",
    name: "my-cluster",
    networkProfile,
    agentPoolProfiles: [{ count: 3, osType: "Linux" }],
  });
  const namespaces = [{ metadata: { name: SAMPLE_NAMESPACE } }];
  const withoutEngine = evaluateCluster(cluster({ networkPlugin: "azure", networkPluginMode: "overlay" }), null);
  const failingNamespace = evaluateCluster(cluster({ networkPlugin: "azure", networkPolicy: "azure" }), { namespaces, policies: [] });
  const blockingDns = evaluateCluster(cluster({ networkPlugin: "azure", networkPolicy: "azure" }), {
    namespaces,
    policies: [{ apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { name: "deny-all", namespace: SAMPLE_NAMESPACE }, spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] } }],
  });
  const of = (evaluation: ReturnType<typeof evaluateCluster>, controls: readonly ControlId[]) => buildRemediation(evaluation).filter((item) => controls.includes(item.controlId));
  return [...of(withoutEngine, ["NP-01"]), ...of(failingNamespace, ["NP-02", "NP-03", "NP-05"]), ...of(blockingDns, ["NP-04"])];
}

const FENCE: Record<RemediationItem["format"], string> = { yaml: "yaml", shell: "sh", terraform: "hcl", bicep: "bicep", text: "" };

export interface ControlHelp {
  text: string;
  markdown: string;
}

let cache: Map<ControlId, ControlHelp> | null = null;

function helpFor(control: ControlId, items: readonly RemediationItem[]): ControlHelp {
  const definition = getControl(control);
  const text: string[] = [definition.description, ""];
  const markdown: string[] = [`**${definition.title}** (${control}, ${definition.severity})`, "", definition.description, ""];
  if (control === "NP-06") {
    text.push("How to fix: narrow each rule to the peers and ports the workload needs.");
    markdown.push("**How to fix**: narrow each rule to the peers and ports the workload needs.", "");
    for (const [ruleClass, advice] of Object.entries(ALLOW_ANY_CLASS_ADVICE)) {
      text.push(`Class ${ruleClass}: admits ${advice.problem}; ${advice.fix}.`);
      markdown.push(`- Class ${ruleClass}: admits ${advice.problem}; ${advice.fix}.`);
    }
  } else {
    const mine = items.filter((item) => item.controlId === control);
    text.push(`How to fix (written for a namespace called ${SAMPLE_NAMESPACE} and a cluster called my-cluster; put yours):`);
    markdown.push(`**How to fix** (written for a namespace called \`${SAMPLE_NAMESPACE}\` and a cluster called \`my-cluster\`; put yours):`, "");
    for (const item of mine) {
      text.push("", `${item.title}:`, item.content.trimEnd(), ...item.caveats.map((caveat) => `Note: ${caveat}`));
      markdown.push(`*${item.title}*`, "", item.format === "text" ? item.content.trimEnd() : `\`\`\`${FENCE[item.format]}\n${item.content.trimEnd()}\n\`\`\``, "", ...item.caveats.map((caveat) => `> ${caveat}`), "");
    }
  }
  return { text: text.join("\n").trimEnd(), markdown: markdown.join("\n").trimEnd() };
}

/** The help text of a control, with its remediation. */
export function controlHelp(control: ControlId): ControlHelp {
  if (!cache) {
    const items = sampleRemediation();
    cache = new Map((["NP-01", "NP-02", "NP-03", "NP-04", "NP-05", "NP-06"] as const).map((id) => [id, helpFor(id, items)]));
  }
  return cache.get(control) ?? helpFor(control, []);
}
