// Help for each control as CI tools show it beside a finding (SARIF rule help): what the control
// asks, and the remediation Bulkhead itself writes, taken from the evaluator's remediation builder on
// a sample cluster that fails it, so the help never drifts from the fix the dashboard offers.

import { ALLOW_ANY_CLASS_ADVICE, buildRemediation, evaluateCluster, getControl, type ControlId, type RemediationItem } from "../posture";

const SAMPLE_NAMESPACE = "my-namespace";

/** A sample cluster with no engine (for NP-01) and one with Azure NPM whose namespace lacks everything (the rest). */
function sampleRemediation(): RemediationItem[] {
  const id = (name: string) => `/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/my-group/providers/Microsoft.ContainerService/managedClusters/${name}`;
  const withoutEngine = evaluateCluster({ id: id("my-cluster"), name: "my-cluster", networkProfile: { networkPlugin: "azure", networkPluginMode: "overlay" }, agentPoolProfiles: [{ count: 3, osType: "Linux" }] }, null);
  const failingNamespace = evaluateCluster(
    { id: id("my-cluster"), name: "my-cluster", networkProfile: { networkPlugin: "azure", networkPolicy: "azure" }, agentPoolProfiles: [{ count: 3, osType: "Linux" }] },
    {
      namespaces: [{ metadata: { name: SAMPLE_NAMESPACE } }],
      policies: [
        {
          apiVersion: "networking.k8s.io/v1",
          kind: "NetworkPolicy",
          metadata: { name: "deny-egress", namespace: "dns-sample" },
          spec: { podSelector: {}, policyTypes: ["Egress"] },
        },
      ],
    },
  );
  return [...buildRemediation(withoutEngine).filter((item) => item.controlId === "NP-01"), ...buildRemediation(failingNamespace).filter((item) => item.controlId !== "NP-01")];
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
    if (control === "NP-04") {
      text.push("How to fix (for a namespace that denies egress by default):");
      markdown.push("**How to fix** (for a namespace that denies egress by default):", "");
    } else {
      text.push(`How to fix (written for a namespace called ${SAMPLE_NAMESPACE}; put yours):`);
      markdown.push(`**How to fix** (written for a namespace called \`${SAMPLE_NAMESPACE}\`; put yours):`, "");
    }
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
