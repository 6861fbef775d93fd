import type { ControlDefinition, ControlId } from "./types";

/** The control catalogue of DESIGN.md §4.3, in display order. */
export const CONTROLS: readonly ControlDefinition[] = Object.freeze([
  {
    id: "NP-01",
    name: "policy-engine-enabled",
    title: "Network policy engine enabled",
    description: "The cluster runs a NetworkPolicy engine (Azure NPM, Calico or Cilium), so NetworkPolicies are enforced.",
  },
  {
    id: "NP-02",
    name: "default-deny-ingress",
    title: "Default deny for ingress",
    description: "Every workload namespace has a policy that selects all pods and allows no ingress.",
  },
  {
    id: "NP-03",
    name: "default-deny-egress",
    title: "Default deny for egress",
    description: "Every workload namespace has a policy that selects all pods and allows no egress.",
  },
  {
    id: "NP-04",
    name: "dns-egress-allowed",
    title: "DNS allowed under default deny",
    description: "Every workload namespace that denies egress by default still allows DNS to kube-system.",
  },
  {
    id: "NP-05",
    name: "imds-egress-blocked",
    title: "Instance metadata (IMDS) blocked",
    description:
      "Pods cannot reach the Azure Instance Metadata Service at 169.254.169.254: podLinkLocalAccess is None, or every workload namespace denies egress by default and no egress rule permits it.",
  },
  {
    id: "NP-06",
    name: "no-allow-any-rules",
    title: "No allow-any rules",
    description: "No ingress or egress rule in a workload namespace admits any peer on any port.",
  },
  {
    id: "NP-07",
    name: "policies-present",
    title: "NetworkPolicies present",
    description: "At least one NetworkPolicy exists in a workload namespace.",
  },
] satisfies ControlDefinition[]);

const CONTROLS_BY_ID = new Map<ControlId, ControlDefinition>(CONTROLS.map((control) => [control.id, control]));

export function getControl(id: ControlId): ControlDefinition {
  const control = CONTROLS_BY_ID.get(id);
  if (!control) throw new Error(`unknown control ${id}`);
  return control;
}
