// The framework catalogue (docs/compliance.md): each framework's requirements mapped to the controls
// of lib/posture/control-catalogue.ts. The data files are validated once, when this module loads: a
// malformed mapping (unknown control, duplicate id, a rationale of two sentences) stops start-up.
import { CONTROL_IDS, type ControlId } from "@/lib/posture/control-catalogue";
import type { FrameworkChoice } from "../default-framework";
import { FRAMEWORK_IDS } from "../framework-ids";
import { frameworkSchema, type Framework, type FrameworkInput } from "../framework-schema";
import { cisAks } from "./cis-aks";
import { cisKubernetes } from "./cis-kubernetes";
import { hipaa } from "./hipaa";
import { iso27001 } from "./iso-27001";
import { nist80053 } from "./nist-800-53";
import { pciDss } from "./pci-dss";
import { soc2 } from "./soc2";

/**
 * Controls no listed requirement is mapped to, and why: the mapping tests require every control to
 * be either mapped somewhere or named here.
 */
export const UNMAPPED_CONTROLS: Readonly<Partial<Record<ControlId, string>>> = {
  "NP-04":
    "NP-04 checks that a default deny for egress still lets pods resolve names through kube-dns; it keeps workloads available and no listed requirement asks for it.",
};

const INPUTS: readonly FrameworkInput[] = [cisKubernetes, cisAks, pciDss, soc2, hipaa, nist80053, iso27001];

function load(inputs: readonly FrameworkInput[]): readonly Framework[] {
  const frameworks = inputs.map((input) => {
    const parsed = frameworkSchema.safeParse(input);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Error(`framework catalogue: ${String((input as { id?: unknown }).id)}: ${issue.path.join(".")}: ${issue.message}`);
    }
    return Object.freeze(parsed.data);
  });
  const ids = new Set<string>();
  for (const framework of frameworks) {
    if (ids.has(framework.id)) throw new Error(`framework catalogue: ${framework.id} appears twice`);
    ids.add(framework.id);
  }
  const loaded = frameworks.map((framework) => framework.id).join(", ");
  if (loaded !== FRAMEWORK_IDS.join(", ")) throw new Error(`framework catalogue: holds ${loaded}; framework-ids.ts lists ${FRAMEWORK_IDS.join(", ")}`);
  return Object.freeze(frameworks);
}

/** Every framework, in display order. */
export const FRAMEWORKS: readonly Framework[] = load(INPUTS);

export { FRAMEWORK_IDS };

export { DEFAULT_FRAMEWORK_ID } from "../default-framework";

export function findFramework(id: string): Framework | undefined {
  return FRAMEWORKS.find((framework) => framework.id === id);
}

/** "CIS Kubernetes Benchmark v1.12.0": the name with the version cited. */
export function frameworkLabel(framework: Framework): string {
  return /^v?\d/.test(framework.version) ? `${framework.name} ${framework.version}` : `${framework.name} (${framework.version})`;
}

/** Every framework as the Compliance page's picker offers it (the page passes these to the client). */
export function frameworkChoices(): FrameworkChoice[] {
  return FRAMEWORKS.map((framework) => ({ id: framework.id, label: frameworkLabel(framework) }));
}

/** Controls in catalogue order, for display: a requirement lists its controls in that order. */
export function orderedControls(ids: readonly ControlId[]): ControlId[] {
  return CONTROL_IDS.filter((id) => ids.includes(id));
}

export type { Framework, FrameworkRequirement, EvidenceLevel } from "../framework-schema";
