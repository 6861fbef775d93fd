"use client";

import { Card, CardHeader } from "@/components/ui/card";
import { Badge } from "@/components/ui/badge";
import { CopyButton } from "@/components/ui/copy-button";
import type { ClusterDetail } from "@/lib/data/get-cluster-detail";
import { CodeBlock } from "./code-block";

function download(name: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: "application/yaml;charset=utf-8" }));
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/**
 * "Apply all": every per-namespace NetworkPolicy the failing controls ask for, in one ordered file,
 * with the kubectl line to apply it; each namespace's part can be read on its own (collapsed).
 */
export function RemediationBundleCard({ detail }: { detail: ClusterDetail }) {
  const bundle = detail.bundle;
  if (!bundle) return null;
  return (
    <Card id="fix-bundle" aria-labelledby="fix-bundle-title" className="scroll-mt-6">
      <CardHeader
        id="fix-bundle-title"
        title="Apply all: one file for this cluster"
        description={`${bundle.manifests.length} NetworkPolicies in ${bundle.byNamespace.length} ${bundle.byNamespace.length === 1 ? "namespace" : "namespaces"}, ordered and without duplicates: default deny, DNS allowed, and what an ingress controller needs. Nothing in it widens access. Read the caveats under each control below before applying.`}
      />
      <div className="space-y-4">
        <div className="flex flex-wrap items-center gap-2">
          <span className="text-sm text-slate-700">Fixes</span>
          {bundle.fixes.map((id) => (
            <a key={id} href={`#fix-${id}`} className="no-underline">
              <Badge tone="bad">{id}</Badge>
            </a>
          ))}
        </div>
        <div className="flex flex-wrap items-center gap-3">
          <button
            type="button"
            onClick={() => download(bundle.fileName, bundle.yaml)}
            className="inline-flex h-9 items-center gap-2 rounded-md bg-slate-900 px-3 text-sm font-medium text-white shadow-sm hover:bg-slate-800"
          >
            <svg aria-hidden viewBox="0 0 20 20" className="h-4 w-4" fill="currentColor">
              <path d="M9 2h2v9.2l3.3-3.3 1.4 1.4L10 15 4.3 9.3l1.4-1.4L9 11.2V2Zm-6 14h14v2H3v-2Z" />
            </svg>
            Download {bundle.fileName}
          </button>
          <div className="flex min-w-0 items-center gap-2 rounded-md border border-slate-300 bg-slate-50 px-2 py-1">
            <code className="break-all font-mono text-sm text-slate-900" data-testid="bundle-command">
              {bundle.command}
            </code>
            <CopyButton text={bundle.command} label="the kubectl command" />
          </div>
        </div>
        {bundle.notes.length ? (
          <ul className="space-y-1 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-950" aria-label="Not in the file">
            {bundle.notes.map((note) => (
              <li key={note}>{note}</li>
            ))}
          </ul>
        ) : null}
        <div className="divide-y divide-slate-200 rounded-lg border border-slate-200">
          {bundle.byNamespace.map((group) => (
            <details key={group.namespace} className="group px-3 py-2">
              <summary className="cursor-pointer text-sm">
                <span className="font-medium text-slate-900">{group.namespace}</span>
                <span className="text-slate-600">: {group.names.join(", ")}</span>
              </summary>
              <div className="mt-2">
                <CodeBlock code={group.yaml} language="Kubernetes YAML" copyLabel={`the manifests for namespace ${group.namespace}`} />
              </div>
            </details>
          ))}
        </div>
      </div>
    </Card>
  );
}
