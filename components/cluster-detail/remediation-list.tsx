import { Card, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/state-message";
import { Badge } from "@/components/ui/badge";
import type { ClusterDetail } from "@/lib/data/get-cluster-detail";
import type { ControlId, RemediationItem } from "@/lib/posture";
import { CodeBlock } from "./code-block";

/** The formats shown as a code block; "text" is prose and has none. */
const FORMAT_LABEL: Record<Exclude<RemediationItem["format"], "text">, string> = {
  yaml: "Kubernetes YAML",
  shell: "Shell",
  terraform: "Terraform",
  bicep: "Bicep",
};

function WarningIcon() {
  return (
    <svg aria-hidden viewBox="0 0 16 16" className="mt-0.5 h-4 w-4 shrink-0 text-amber-700" fill="currentColor">
      <path d="M8.9 1.9a1 1 0 0 0-1.8 0L.6 13.5A1 1 0 0 0 1.5 15h13a1 1 0 0 0 .9-1.5L8.9 1.9ZM8 5.5a.75.75 0 0 1 .75.75v3.5a.75.75 0 0 1-1.5 0v-3.5A.75.75 0 0 1 8 5.5Zm0 7.25a.9.9 0 1 1 0-1.8.9.9 0 0 1 0 1.8Z" />
    </svg>
  );
}

/** The fixes for every failing control, grouped by control, each block ready to copy. */
export function RemediationList({ detail }: { detail: ClusterDetail }) {
  const groups = new Map<ControlId, RemediationItem[]>();
  for (const item of detail.remediation) {
    const group = groups.get(item.controlId);
    if (group) group.push(item);
    else groups.set(item.controlId, [item]);
  }
  const titles = new Map(detail.controls.map((control) => [control.id, control.title]));
  return (
    <Card id="remediation" aria-labelledby="remediation-title">
      <CardHeader
        id="remediation-title"
        title="Remediation"
        description="What makes each failing control pass, generated from this cluster's own documents: manifests to apply, the az command with its caveats, and the Terraform and Bicep equivalents. Read the caveats before applying."
      />
      {groups.size === 0 ? (
        <EmptyState title="Nothing to fix">
          No control fails on the latest snapshot.
          {detail.snapshot.controlsNa > 0
            ? ` ${detail.snapshot.controlsNa} ${detail.snapshot.controlsNa === 1 ? "control is" : "controls are"} n/a, so not judged: read the cluster's namespaces and NetworkPolicies to know more.`
            : ""}
        </EmptyState>
      ) : (
        <div className="space-y-8">
          {[...groups.entries()].map(([controlId, items]) => (
            <section key={controlId} id={`fix-${controlId}`} aria-labelledby={`fix-${controlId}-title`} className="scroll-mt-6">
              <h3 id={`fix-${controlId}-title`} className="flex items-center gap-2 text-sm font-semibold text-slate-900">
                <Badge tone="bad">{controlId}</Badge>
                {titles.get(controlId) ?? controlId}
              </h3>
              <ol className="mt-3 space-y-5">
                {items.map((item, index) => (
                  <li key={`${item.format}-${index}`} className="space-y-2">
                    <p className="text-sm font-medium text-slate-900">{item.title}</p>
                    {item.format === "text"
                      ? item.content.split("\n\n").map((paragraph) => (
                          <p key={paragraph} className="text-sm text-slate-700">
                            {paragraph}
                          </p>
                        ))
                      : null}
                    {item.caveats.length > 0 ? (
                      <ul className="space-y-1 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-950" aria-label="Caveats">
                        {item.caveats.map((caveat) => (
                          <li key={caveat} className="flex gap-2">
                            <WarningIcon />
                            <span>{caveat}</span>
                          </li>
                        ))}
                      </ul>
                    ) : null}
                    {item.format === "text" ? null : (
                      <CodeBlock code={item.content} language={FORMAT_LABEL[item.format]} copyLabel={`${FORMAT_LABEL[item.format]} for ${controlId}: ${item.title}`} />
                    )}
                  </li>
                ))}
              </ol>
            </section>
          ))}
        </div>
      )}
    </Card>
  );
}
