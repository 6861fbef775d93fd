import { Card, CardHeader } from "@/components/ui/card";
import { TableScrollRegion } from "@/components/table/table-scroll-region";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow, TableRowHeader } from "@/components/ui/table";
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
        <TableScrollRegion label="Namespaces table" placement="card-bottom">
          <Table caption="Workload namespaces: default deny per direction, DNS, IMDS and their policies" className="min-w-[40rem]">
            <TableHeader>
              <tr>
                <TableHead>Namespace</TableHead>
                <TableHead>Ingress default deny</TableHead>
                <TableHead>Egress default deny</TableHead>
                <TableHead>DNS</TableHead>
                <TableHead>IMDS</TableHead>
                <TableHead align="right">Policies</TableHead>
              </tr>
            </TableHeader>
            <TableBody>
              {namespaces.map((namespace) => (
                <TableRow key={namespace.name}>
                  <TableRowHeader className="font-mono text-xs">
                    {namespace.name}
                  </TableRowHeader>
                  <TableCell>
                    <Mark ok={namespace.defaultDenyIngress} yes="Denied" no="Open" />
                  </TableCell>
                  <TableCell>
                    <Mark ok={namespace.defaultDenyEgress} yes="Denied" no="Open" />
                  </TableCell>
                  <TableCell>
                    {namespace.defaultDenyEgress ? <Mark ok={namespace.allowsDns} yes="Allowed" no="Blocked" /> : <span className="text-xs text-slate-600">not restricted</span>}
                  </TableCell>
                  <TableCell>
                    {imdsOffForAllPods ? (
                      <Mark ok yes="Blocked (podLinkLocalAccess)" no="" />
                    ) : (
                      <Mark ok={!namespace.permitsImds && namespace.defaultDenyEgress} yes="Blocked" no={namespace.permitsImds ? "Permitted by a rule" : "Reachable"} />
                    )}
                  </TableCell>
                  <TableCell align="right" className="text-slate-700">{namespace.policyCount}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </TableScrollRegion>
      )}
    </Card>
  );
}
