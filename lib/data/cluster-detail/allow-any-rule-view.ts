import { stringify } from "yaml";
import { ALLOW_ANY_CLASS_ADVICE, type AllowAnyRule } from "@/lib/posture";
import type { ClusterDetail } from "./types";

/** One allow-any rule as the page shows it: where it is, why it is a problem, the fix, and the rule as YAML. */
export function toAllowAnyRuleView(rule: AllowAnyRule): ClusterDetail["allowAnyRules"][number] {
  return {
    namespace: rule.namespace,
    policy: rule.policy,
    kind: rule.kind,
    scope: rule.scope,
    list: rule.list,
    direction: rule.direction,
    index: rule.index,
    class: rule.class,
    problem: ALLOW_ANY_CLASS_ADVICE[rule.class]?.problem ?? "",
    fix: ALLOW_ANY_CLASS_ADVICE[rule.class]?.fix ?? "",
    // The rule under its direction, as it would appear in the policy's spec.
    yaml: stringify({ [rule.direction]: [rule.rule ?? {}] }, { lineWidth: 0 }),
  };
}
