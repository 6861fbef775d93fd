import type { PolicyObjectSummary } from "@/lib/posture";
import { FAMILY_OF_KIND } from "@/lib/posture/statements";
import type { PolicyContribution, PolicyObjectView } from "./types";

const ENGINE_OF_FAMILY = { kubernetes: "a policy engine (azure, calico or cilium)", cilium: "Cilium", calico: "Calico" } as const;

/** The engine a cluster runs, in words. */
function describeEngine(engine: string, engineEnabled: boolean): string {
  if (engineEnabled) return engine;
  return engine.startsWith("unknown:") ? `an engine AKS does not know (${engine.slice("unknown:".length)})` : "no engine";
}

/**
 * Why an object is not enforced (docs/design.md §4.3), in words for the page; null when it is. On a
 * cluster without an engine nothing is, although the controls judge its Kubernetes NetworkPolicies as
 * written (§4.4: they show what was intended), which is what the evaluator's `enforced` says there.
 */
function notEnforcedBecause(object: PolicyObjectSummary, engine: string, engineEnabled: boolean): string | null {
  if (object.hostOnly) return "A host policy: it applies to nodes, not to pods.";
  const family = FAMILY_OF_KIND[object.kind];
  if (family === "admin") return "No engine AKS offers enforces admin network policies today.";
  if (object.enforced && engineEnabled) return null;
  return `Only ${ENGINE_OF_FAMILY[family]} enforces it; this cluster runs ${describeEngine(engine, engineEnabled)}.`;
}

/** Namespaces whose contribution is the same, together: a cluster-wide object touching 300 namespaces is one line. */
function groupContributions(object: PolicyObjectSummary): PolicyContribution[] {
  const groups = new Map<string, PolicyContribution>();
  for (const { namespace, isolatesIngress, isolatesEgress, allows, denies } of object.namespaces) {
    const key = `${isolatesIngress}:${isolatesEgress}:${allows}:${denies}`;
    const group = groups.get(key);
    if (group) group.namespaces.push(namespace);
    else groups.set(key, { namespaces: [namespace], isolatesIngress, isolatesEgress, allows, denies });
  }
  return [...groups.values()];
}

/** The evaluator's policy summaries as the cluster page lists them. */
export function toPolicyObjectViews(objects: readonly PolicyObjectSummary[], engine: string, engineEnabled: boolean): PolicyObjectView[] {
  return objects.map((object) => ({
    kind: object.kind,
    namespace: object.namespace,
    name: object.name,
    scope: object.scope,
    enforced: notEnforcedBecause(object, engine, engineEnabled) === null,
    notEnforcedBecause: notEnforcedBecause(object, engine, engineEnabled),
    problems: object.problems,
    contributions: groupContributions(object),
  }));
}
