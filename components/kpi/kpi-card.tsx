import Link from "next/link";
import { Card } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { KpiDelta } from "./kpi-delta";
import type { KpiMeta } from "./kpi-meta";
import { Sparkline } from "./sparkline";

export interface KpiCardProps {
  meta: KpiMeta;
  /** The figure as shown, with its unit. */
  display: string;
  current: number | null;
  /** The same KPI 30 days earlier; undefined while it loads. */
  previous: number | null | undefined;
  previousText: string;
  /** When the earlier figure is from, e.g. "on 27 Oct". */
  since: string;
  /** One line of context: what the figure is made of. */
  detail: React.ReactNode;
  trend: (number | null)[] | undefined;
  trendLabel: string;
  /** The KPI's page on Trends (with the same scope); no link on paper. */
  trendHref?: string;
}

/** One KPI: the figure large, its change against 30 days earlier, and its recent trend. */
export function KpiCard({ meta, display, current, previous, previousText, since, detail, trend, trendLabel, trendHref }: KpiCardProps) {
  const titleId = `kpi-${meta.slug}-title`;
  return (
    <Card aria-labelledby={titleId} className="flex flex-col gap-3 break-inside-avoid" data-testid={`kpi-card-${meta.id}`}>
      <div>
        <h2 id={titleId} className="text-sm font-medium text-slate-600">
          {meta.title}
        </h2>
        {/* One line of fixed height: a long figure ("EUR 515,409") steps down a size rather than wrapping. */}
        <p
          className={`mt-1 h-10 whitespace-nowrap leading-10 font-semibold tracking-tight text-slate-900 tabular-nums ${display.length > 9 ? "text-3xl" : "text-4xl"}`}
          data-testid={`kpi-value-${meta.id}`}
        >
          {display}
        </p>
      </div>
      <div className="min-h-5">{previous === undefined ? <Skeleton className="h-5 w-40" label="Loading the change" /> : <KpiDelta meta={meta} current={current} previous={previous} previousText={previousText} since={since} />}</div>
      {/* Room for four lines of context in every card, so a row keeps the skeleton's height when the figures arrive. */}
      <p className="min-h-20 text-sm text-slate-700">{detail}</p>
      <div className="mt-auto">
        {trend ? <Sparkline values={trend} stroke="#1d4ed8" /> : <Skeleton className="h-10 w-full" label="Loading the trend" />}
        <p className="mt-1 flex flex-wrap items-baseline justify-between gap-x-2 text-xs text-slate-600">
          <span>{trendLabel}</span>
          {trendHref ? (
            <Link href={trendHref} className="font-medium text-brand-700 hover:underline print:hidden">
              Trend<span className="sr-only"> of {meta.title}</span> →
            </Link>
          ) : null}
        </p>
      </div>
      <p className="sr-only">{meta.description}</p>
    </Card>
  );
}

export function KpiCardSkeleton({ title }: { title: string }) {
  return (
    // The card's own layout, part for part, so nothing below moves when the figures replace it.
    <Card className="flex flex-col gap-3" aria-label={title}>
      <div>
        <p className="text-sm font-medium text-slate-600">{title}</p>
        <Skeleton className="mt-1 h-10 w-28" label={`Loading ${title}`} />
      </div>
      <Skeleton className="h-5 w-40" />
      <div className="min-h-20">
        <Skeleton className="h-4 w-48" />
      </div>
      <div className="mt-auto">
        <Skeleton className="h-10 w-full" />
        <p className="mt-1 text-xs" aria-hidden="true">
          &nbsp;
        </p>
      </div>
    </Card>
  );
}
