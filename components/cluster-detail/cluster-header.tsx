import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { RelativeTime } from "@/components/ui/relative-time";
import { EngineBadge } from "@/components/clusters/posture-badges";
import type { ClusterDetail } from "@/lib/data/get-cluster-detail";
import { formatDateTime, formatInteger } from "@/lib/format";

function Fact({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs font-medium text-slate-600">{label}</dt>
      <dd className="mt-0.5 break-words text-sm text-slate-900">{children}</dd>
    </div>
  );
}

const unset = <span className="text-slate-600">(unset)</span>;

/** Name, where the cluster lives, who owns it and how its network is built. */
export function ClusterHeader({ detail, backSearch }: { detail: ClusterDetail; backSearch: string }) {
  const { cluster, snapshot } = detail;
  return (
    <header className="space-y-4">
      <nav aria-label="Breadcrumb" className="text-sm text-slate-600">
        <ol className="flex flex-wrap items-center gap-1.5">
          <li>
            <Link href={`/clusters${backSearch}`} className="font-medium text-brand-700 hover:underline">
              Clusters
            </Link>
          </li>
          <li aria-hidden>/</li>
          <li aria-current="page" className="truncate text-slate-700">
            {cluster.name}
          </li>
        </ol>
      </nav>
      <div>
        <div className="flex flex-wrap items-center gap-2">
          <h1 className="break-all text-2xl font-semibold tracking-tight text-slate-900">{cluster.name}</h1>
          {cluster.production ? <Badge tone="strong">Production</Badge> : <Badge tone="neutral">Non-production</Badge>}
          {cluster.deletedAt ? <Badge tone="neutral">Deleted {formatDateTime(cluster.deletedAt).slice(0, 10)}</Badge> : null}
        </div>
        <p className="mt-1 text-sm text-slate-600">
          {cluster.resourceGroup} · {cluster.subscriptionName ?? cluster.subscriptionId} · {cluster.location ?? "location unknown"} · owner{" "}
          <span className={cluster.owner === "(untagged)" ? "italic" : "font-medium text-slate-800"}>{cluster.owner}</span>
        </p>
      </div>
      <dl className="grid grid-cols-2 gap-x-6 gap-y-3 rounded-xl border border-slate-200 bg-white p-5 shadow-sm md:grid-cols-4">
        <Fact label="Policy engine">
          <span className="flex flex-wrap items-center gap-2">
            <EngineBadge engine={cluster.engine} enabled={cluster.engineEnabled} />
            <span className="text-xs text-slate-600">
              networkPolicy: <code className="font-mono text-slate-800">{cluster.rawNetworkPolicy === null ? "(unset)" : JSON.stringify(cluster.rawNetworkPolicy)}</code>
            </span>
          </span>
        </Fact>
        <Fact label="Network plugin · mode · dataplane">
          {cluster.networkPlugin ?? unset} · {cluster.networkPluginMode ?? unset} · {cluster.networkDataplane ?? unset}
        </Fact>
        <Fact label="podLinkLocalAccess (IMDS)">{cluster.podLinkLocalAccess ?? unset}</Fact>
        <Fact label="Nodes · Kubernetes">
          {formatInteger(cluster.nodeCount)} {cluster.nodeCount === 1 ? "node" : "nodes"}
          {cluster.hasWindowsPool ? " (Windows pool)" : ""} · {cluster.kubernetesVersion ?? "version unknown"}
        </Fact>
        <Fact label="Subscription">
          {cluster.subscriptionName ?? "(no display name)"}
          <span className="block truncate font-mono text-xs text-slate-600" title={cluster.subscriptionId}>
            {cluster.subscriptionId}
          </span>
        </Fact>
        <Fact label="Resource group · location">
          {cluster.resourceGroup} · {cluster.location ?? "unknown"}
        </Fact>
        <Fact label="Last seen">
          <RelativeTime value={cluster.lastSeenAt} />
          <span className="block text-xs text-slate-600">first seen {formatDateTime(cluster.firstSeenAt)}</span>
        </Fact>
        <Fact label="Latest snapshot">
          {formatDateTime(snapshot.capturedAt)}
          <span className="block text-xs text-slate-600">
            {/* Underlined: beside other text, a link is told apart by more than its colour. */}
            <Link href="/runs" className="text-brand-700 underline">
              run #{snapshot.runId}
            </Link>
            {" · "}
            <span className={snapshot.rulesVersion < snapshot.currentRulesVersion ? "font-medium text-amber-800" : undefined}>
              rules version {snapshot.rulesVersion}
              {snapshot.rulesVersion < snapshot.currentRulesVersion ? ` (this version judges with ${snapshot.currentRulesVersion})` : ""}
            </span>
          </span>
        </Fact>
        {cluster.tags.length > 0 ? (
          <div className="col-span-2 md:col-span-4">
            <dt className="text-xs font-medium text-slate-600">Tags</dt>
            <dd className="mt-1 flex flex-wrap gap-1.5">
              {cluster.tags.map((tag) => (
                <code key={tag.key} className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs text-slate-800">
                  {tag.key}={tag.value}
                </code>
              ))}
            </dd>
          </div>
        ) : null}
      </dl>
    </header>
  );
}
