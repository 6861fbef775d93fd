import { Badge } from "@/components/ui/badge";
import { Card, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/state-message";
import { POLICY_KIND_LABELS } from "@/lib/clusters/list-options";
import type { ClusterDetail } from "@/lib/data/get-cluster-detail";
import { CodeBlock } from "./code-block";

const CLASS_NAME = { A: "A · no peers", B: "B · world ipBlock", C: "C · all namespaces" } as const;

/** Each rule that admits any peer on any port, with the rule itself as YAML text. */
export function AllowAnyRules({ detail }: { detail: ClusterDetail }) {
  const rules = detail.allowAnyRules;
  const state = detail.freshness.inCluster.state;
  return (
    <Card id="allow-any" aria-labelledby="allow-any-title">
      <CardHeader
        id="allow-any-title"
        title={`Allow-any rules${state === "none" ? "" : ` (${rules.length})`}`}
        description="Allow rules of enforced objects that admit a peer nobody planned for — any address outside the cluster or any pod inside it — on any port (NP-06). Rules of cluster-wide objects count once."
      />
      {state === "none" ? (
        <EmptyState title="n/a: no in-cluster data">Policy objects were not read, so allow-any rules are not known.</EmptyState>
      ) : rules.length === 0 ? (
        <EmptyState title="No allow-any rules">Every rule names its peers or its ports.</EmptyState>
      ) : (
        <ul className="space-y-5">
          {rules.map((rule) => {
            const where = `${rule.kind} ${rule.namespace ?? "(cluster-wide)"}/${rule.policy} ${rule.list}[${rule.index}]`;
            return (
              <li key={where} className="space-y-2">
                <div className="flex flex-wrap items-center gap-2">
                  <code className="font-mono text-sm font-medium text-slate-900">
                    {rule.namespace ? `${rule.namespace}/` : ""}
                    {rule.policy}
                  </code>
                  <span className="text-xs text-slate-700">{POLICY_KIND_LABELS[rule.kind] ?? rule.kind}</span>
                  <Badge tone={rule.scope === "cluster" ? "strong" : "neutral"}>{rule.scope === "cluster" ? "Cluster-wide" : "Namespace"}</Badge>
                  <span className="text-sm text-slate-600">
                    spec.{rule.list}[{rule.index}]
                  </span>
                  <Badge tone="bad" title={rule.problem}>
                    Class {CLASS_NAME[rule.class] ?? rule.class}
                  </Badge>
                </div>
                <p className="text-sm text-slate-700">
                  Admits {rule.problem}. <span className="text-slate-900">Fix:</span> {rule.fix}.
                </p>
                <CodeBlock code={rule.yaml} language="YAML" copyLabel={`the rule ${where}`} />
              </li>
            );
          })}
        </ul>
      )}
    </Card>
  );
}
