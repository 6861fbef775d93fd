import { Card, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/state-message";
import { cn } from "@/lib/class-names";
import type { ClusterDetail } from "@/lib/data/get-cluster-detail";

function Mark({ ok, yes, no }: { ok: boolean; yes: string; no: string }) {
  return (
    <span className={cn("inline-flex items-center gap-1 text-xs font-medium", ok ? "text-emerald-800" : "text-red-700")}>
      <span aria-hidden>{ok ? "✓" : "✗"}</span>
      {ok ? yes : no}
    </span>
  );
}

/** Workload namespaces with their default-deny coverage, DNS and IMDS. */
export function NamespacesTable({ detail }: { detail: ClusterDetail }) {
  const { namespaces } = detail;
  const state = detail.freshness.inCluster.state;
  const full = namespaces.filter((namespace) => namespace.defaultDenyIngress && namespace.defaultDenyEgress).length;
  const imdsOffForAllPods = detail.cluster.podLinkLocalAccess?.trim().toLowerCase() === "none";
  const notEnforced = !detail.cluster.engineEnabled;
  return (
    <Card id="namespaces" aria-labelledby="namespaces-title">
      <CardHeader
        id="namespaces-title"
        title="Namespaces"
        description={
          state === "none"
            ? "n/a: no in-cluster data, so namespaces are not known."
            : `${full} of ${namespaces.length} workload namespaces deny ingress and egress by default. System namespaces are left out.${
                notEnforced ? " No policy engine is enabled, so none of these policies is enforced." : ""
              }`
        }
      />
      {state === "none" ? (
        <EmptyState title="No in-cluster data">Namespaces and NetworkPolicies of this cluster were not read, so their coverage is not known.</EmptyState>
      ) : namespaces.length === 0 ? (
        <EmptyState title="No workload namespaces">The cluster has only system namespaces.</EmptyState>
      ) : (
        <div role="region" aria-label="Namespaces table" tabIndex={0} className="-mx-5 -mb-5 overflow-x-auto rounded-b-xl border-t border-slate-200">
          <table className="w-full min-w-[40rem] text-sm">
            <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-600">
              <tr>
                <th scope="col" className="px-3 py-2 pl-5">Namespace</th>
                <th scope="col" className="px-3 py-2">Ingress default deny</th>
                <th scope="col" className="px-3 py-2">Egress default deny</th>
                <th scope="col" className="px-3 py-2">DNS</th>
                <th scope="col" className="px-3 py-2">IMDS</th>
                <th scope="col" className="px-3 py-2 pr-5 text-right">Policies</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {namespaces.map((namespace) => (
                <tr key={namespace.name}>
                  <th scope="row" className="px-3 py-2 pl-5 text-left font-mono text-xs font-medium text-slate-900">
                    {namespace.name}
                  </th>
                  <td className="px-3 py-2">
                    <Mark ok={namespace.defaultDenyIngress} yes="Denied" no="Open" />
                  </td>
                  <td className="px-3 py-2">
                    <Mark ok={namespace.defaultDenyEgress} yes="Denied" no="Open" />
                  </td>
                  <td className="px-3 py-2">
                    {namespace.defaultDenyEgress ? <Mark ok={namespace.allowsDns} yes="Allowed" no="Blocked" /> : <span className="text-xs text-slate-600">not restricted</span>}
                  </td>
                  <td className="px-3 py-2">
                    {imdsOffForAllPods ? (
                      <Mark ok yes="Blocked (podLinkLocalAccess)" no="" />
                    ) : (
                      <Mark ok={!namespace.permitsImds && namespace.defaultDenyEgress} yes="Blocked" no={namespace.permitsImds ? "Permitted by a rule" : "Reachable"} />
                    )}
                  </td>
                  <td className="px-3 py-2 pr-5 text-right tabular-nums text-slate-700">{namespace.policyCount}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}
