import { Badge } from "@/components/ui/badge";
import { Card, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/state-message";
import type { ClusterDetail } from "@/lib/data/get-cluster-detail";

/** Informational advisories: shown, never counted in KPIs (docs/design.md §4.4). */
export function AdvisoriesList({ detail }: { detail: ClusterDetail }) {
  return (
    <Card id="advisories" aria-labelledby="advisories-title">
      <CardHeader id="advisories-title" title="Advisories" description="Informational: not counted in the KPIs." />
      {detail.advisories.length === 0 ? (
        <EmptyState title="No advisories">Nothing about the networking of this cluster is nearing end of support.</EmptyState>
      ) : (
        <ul className="space-y-3">
          {detail.advisories.map((advisory) => (
            <li key={advisory.id} className="flex gap-3 text-sm">
              <Badge tone={advisory.severity === "warning" ? "warn" : "info"} className="h-fit">
                {advisory.severity === "warning" ? "Warning" : "Info"}
              </Badge>
              <span className="text-slate-800">{advisory.message}</span>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
