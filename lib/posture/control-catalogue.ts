/** How bad a failing control is; findings sort and colour by it. */
export type ControlSeverity = "critical" | "high" | "medium" | "low";

/**
 * The control catalogue of docs/design.md §4.4, in display order: the one list every other list of
 * controls derives from (ids, filters, SQL columns, severities, SLAs). No engine means no policy is
 * enforced at all; IMDS and allow-any rules are direct lateral-movement paths, hence their severity.
 */
const CATALOGUE = [
  {
    id: "NP-01",
    name: "policy-engine-enabled",
    title: "Network policy engine enabled",
    description: "The cluster runs a NetworkPolicy engine (Azure NPM, Calico or Cilium), so NetworkPolicies are enforced.",
    severity: "critical",
    slaDays: 30,
  },
  {
    id: "NP-02",
    name: "default-deny-ingress",
    title: "Default deny for ingress",
    description: "Every workload namespace has a policy that selects all pods and allows no ingress.",
    severity: "high",
    slaDays: 30,
  },
  {
    id: "NP-03",
    name: "default-deny-egress",
    title: "Default deny for egress",
    description: "Every workload namespace has a policy that selects all pods and allows no egress.",
    severity: "medium",
    slaDays: 45,
  },
  {
    id: "NP-04",
    name: "dns-egress-allowed",
    title: "DNS allowed under default deny",
    description: "Every workload namespace that denies egress by default still allows DNS to kube-system.",
    severity: "medium",
    slaDays: 14,
  },
  {
    id: "NP-05",
    name: "imds-egress-blocked",
    title: "Instance metadata (IMDS) blocked",
    description:
      "Pods cannot reach the Azure Instance Metadata Service at 169.254.169.254: podLinkLocalAccess is None, or every workload namespace denies egress by default and no egress rule permits it.",
    severity: "high",
    slaDays: 14,
  },
  {
    id: "NP-06",
    name: "no-allow-any-rules",
    title: "No allow-any rules",
    description: "No ingress or egress rule in a workload namespace admits any peer on any port.",
    severity: "high",
    slaDays: 14,
  },
  {
    id: "NP-07",
    name: "policies-present",
    title: "NetworkPolicies present",
    description: "At least one NetworkPolicy exists in a workload namespace.",
    severity: "medium",
    slaDays: 30,
  },
] as const satisfies readonly {
  id: `NP-${string}`;
  name: string;
  title: string;
  description: string;
  severity: ControlSeverity;
  /** Days a team gets to fix a finding of this control unless an admin sets another SLA. */
  slaDays: number;
}[];

export type ControlId = (typeof CATALOGUE)[number]["id"];

export interface ControlDefinition {
  id: ControlId;
  name: string;
  title: string;
  description: string;
  severity: ControlSeverity;
  /** The default remediation SLA in days. */
  slaDays: number;
}

export const CONTROLS: readonly ControlDefinition[] = Object.freeze(CATALOGUE.map((control): ControlDefinition => Object.freeze({ ...control })));

/** Every control id, in catalogue order (a non-empty tuple, as zod's enum wants it). */
export const CONTROL_IDS = CATALOGUE.map((control) => control.id) as unknown as readonly [ControlId, ...ControlId[]];

/** The catalogue's span as people write it, e.g. "NP-01…NP-07". */
export const CONTROL_SPAN = `${CONTROL_IDS[0]}…${CONTROL_IDS[CONTROL_IDS.length - 1]}`;

const CONTROLS_BY_ID = new Map<string, ControlDefinition>(CONTROLS.map((control) => [control.id, control]));

export function isControlId(value: string): value is ControlId {
  return CONTROLS_BY_ID.has(value);
}

export function getControl(id: ControlId): ControlDefinition {
  const control = CONTROLS_BY_ID.get(id);
  if (!control) throw new Error(`unknown control ${id}`);
  return control;
}
