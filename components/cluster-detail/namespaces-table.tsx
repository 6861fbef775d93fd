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
        <EmptyState title="No in-cluster data">Namespaces and policy objects of this cluster were not read, so their coverage is not known.</EmptyState>
      ) : namespaces.length === 0 ? (
        <EmptyState title="No workload namespaces">The cluster has only system namespaces.</EmptyState>
      ) : (
        <TableScrollRegion label="Namespaces table" placement="card-bottom">
          <Table caption="Workload namespaces: default deny per direction, whether a new pod reaches DNS and any pod reaches IMDS, and the enforced objects that apply" className="min-w-[40rem]">
            <TableHeader>
              <tr>
                <TableHead>Namespace</TableHead>
                <TableHead>Ingress default deny</TableHead>
                <TableHead>Egress default deny</TableHead>
                <TableHead>DNS (kube-dns)</TableHead>
                <TableHead>IMDS (169.254.169.254)</TableHead>
                <TableHead align="right">Enforced objects</TableHead>
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
                    {/* Rules v2: whether a new pod of the namespace reaches kube-dns (NP-04); with egress open it trivially does. */}
                    <Mark ok={namespace.allowsDns} yes={namespace.defaultDenyEgress ? "Reachable" : "Reachable (egress open)"} no="Not reachable" />
                  </TableCell>
                  <TableCell>
                    {imdsOffForAllPods ? (
                      <Mark ok yes="Not reachable (podLinkLocalAccess: None)" no="" />
                    ) : (
                      <Mark ok={!namespace.permitsImds} yes="Not reachable" no="Reachable" />
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
