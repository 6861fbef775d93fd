import { KpiCardSkeleton } from "@/components/kpi/kpi-card";
import { KPIS } from "@/components/kpi/kpi-meta";
import { Skeleton } from "@/components/ui/skeleton";

/** The Overview's shape while its figures load: the same blocks, so nothing jumps when they arrive. */
export function OverviewSkeleton() {
  return (
    <div className="space-y-6" aria-busy="true">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight text-slate-900">Network segmentation overview</h1>
        <Skeleton className="mt-2 h-4 w-80" label="Loading the overview" />
      </div>
      <Skeleton className="h-12 w-full" />
      <div className="grid grid-cols-1 gap-4 md:grid-cols-2 xl:grid-cols-4">
        {KPIS.map((kpi) => (
          <KpiCardSkeleton key={kpi.id} title={kpi.title} />
        ))}
      </div>
      <Skeleton className="h-80 w-full" />
      <Skeleton className="h-64 w-full" />
    </div>
  );
}
