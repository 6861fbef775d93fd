import Link from "next/link";
import { Card, CardHeader } from "@/components/ui/card";
import { toSearch } from "@/lib/api/fetch-json";
import { Skeleton } from "@/components/ui/skeleton";
import { EmptyState, ErrorState } from "@/components/ui/state-message";
import type { RiskRow } from "@/lib/data/get-risk-ranking";
import { formatInteger, formatMoney, formatPercent } from "@/lib/format";
import { spendPeriodText } from "@/components/kpi/kpi-meta";

const SHOWN = 6;
/** Exposure at or above this (half of the other pods reachable) is shown as a risk. */
const HIGH_EXPOSURE = 50;

/** The clusters list behind a row: that owner's or subscription's failing production clusters. */
function clustersHref(row: RiskRow, by: "owner" | "subscription", scope: { subscription?: string; owner?: string }): string {
  return `/clusters${toSearch({ ...scope, [by]: row.key, production: "true", failing: "any" })}`;
}

function RiskTable({ rows, dimension, caption, by, scope }: { rows: RiskRow[]; dimension: string; caption: string; by: "owner" | "subscription"; scope: { subscription?: string; owner?: string } }) {
  const shown = rows.slice(0, SHOWN);
  const widest = Math.max(1, ...shown.map((row) => row.productionClusters));
  return (
    // On a phone the names give way first; a table still too wide scrolls rather than cut a column off.
    <div className="min-w-0 overflow-x-auto">
      <table className="w-full text-sm">
        <caption className="mb-2 text-left text-sm font-semibold text-slate-900">{caption}</caption>
        <thead>
          <tr className="border-b border-slate-200 text-left text-xs text-slate-600">
            <th scope="col" className="py-1.5 pr-2 font-medium">
              {dimension}
            </th>
            <th scope="col" className="py-1.5 pr-2 font-medium">
              Failing production clusters
            </th>
            <th scope="col" className="py-1.5 pr-2 text-right font-medium">
              Allow-any rules
            </th>
            <th scope="col" className="py-1.5 pr-2 text-right font-medium">
              <abbr title="Lateral exposure: the share of pod pairs where one pod can connect to the other, pod-weighted" className="no-underline">
                Exposure
              </abbr>
            </th>
            <th scope="col" className="py-1.5 pr-2 text-right font-medium">
              No engine
            </th>
            <th scope="col" className="py-1.5 text-right font-medium">
              <abbr title={`Spend at risk: the ${shown[0] ? spendPeriodText(shown[0].spend) : "30 days'"} AKS spend of all this group's clusters while they failed NP-01, NP-02 or NP-03`} className="no-underline">
                Spend at risk
              </abbr>
            </th>
          </tr>
        </thead>
        <tbody>
          {shown.map((row) => (
            <tr key={row.key} className="border-b border-slate-100 last:border-0">
              <th scope="row" className="max-w-[7.5rem] truncate py-2 pr-2 text-left font-medium sm:max-w-[11rem]" title={row.key}>
                <Link href={clustersHref(row, by, scope)} className="text-brand-700 hover:underline print:text-slate-900 print:no-underline">
                  {row.label}
                </Link>
              </th>
              <td className="py-2 pr-2">
                <div className="flex items-center gap-2">
                  {/* Bar length is the production clusters; the red part the failing ones. */}
                  <div aria-hidden className="hidden h-2.5 flex-1 sm:block [print-color-adjust:exact] print:block">
                    <div className="flex h-full overflow-hidden rounded-sm bg-slate-200" style={{ width: `${(row.productionClusters / widest) * 100}%` }}>
                      <div className="h-full bg-red-700" style={{ width: `${(row.failingClusters / Math.max(1, row.productionClusters)) * 100}%` }} />
                    </div>
                  </div>
                  <span className="w-16 shrink-0 text-right tabular-nums text-slate-900">
                    <span className="font-semibold">{formatInteger(row.failingClusters)}</span> of {formatInteger(row.productionClusters)}
                  </span>
                </div>
              </td>
              <td className={`py-2 pr-2 text-right tabular-nums ${row.allowAnyRules > 0 ? "font-semibold text-bad" : "text-slate-700"}`}>{formatInteger(row.allowAnyRules)}</td>
              <td className={`py-2 pr-2 text-right tabular-nums ${row.lateralExposure !== null && row.lateralExposure >= HIGH_EXPOSURE ? "font-semibold text-bad" : "text-slate-700"}`}>
                {row.lateralExposure === null ? <span title="No production cluster here with in-cluster data">–</span> : formatPercent(row.lateralExposure)}
              </td>
              <td className={`py-2 pr-2 text-right tabular-nums ${row.withoutEngine > 0 ? "font-semibold text-bad" : "text-slate-700"}`}>{formatInteger(row.withoutEngine)}</td>
              <td className="py-2 text-right tabular-nums whitespace-nowrap text-slate-700" data-testid="risk-spend">
                {row.spend.spendAtRisk === null ? (
                  <span title={row.spend.spendCurrency === "mixed" ? "Billed in several currencies: not added up" : "No cost data for these clusters: missing, not zero"}>–</span>
                ) : (
                  <span title={`${formatPercent(row.spend.spendAtRiskShare)} of ${formatMoney(row.spend.spendTotal, row.spend.spendCurrency)}`} className={row.spend.spendAtRisk > 0 ? "font-semibold text-bad" : undefined}>
                    {formatMoney(row.spend.spendAtRisk, row.spend.spendCurrency)}
                  </span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length > SHOWN ? (
        <p className="mt-2 text-xs text-slate-600">
          Top {SHOWN} of {rows.length}. The other {rows.length - SHOWN} have {formatInteger(rows.slice(SHOWN).reduce((sum, row) => sum + row.failingClusters, 0))} failing production clusters.
        </p>
      ) : null}
    </div>
  );
}

/** Where the risk sits: owners and subscriptions ranked by failing production clusters, then allow-any rules, then lateral exposure. */
export function RiskRanking({
  risk,
  isPending,
  error,
  onRetry,
  scope = {},
}: {
  risk: { byOwner: RiskRow[]; bySubscription: RiskRow[] } | undefined;
  isPending: boolean;
  error: unknown;
  onRetry: () => void;
  scope?: { subscription?: string; owner?: string };
}) {
  return (
    <Card aria-labelledby="risk-title" className="break-inside-avoid">
      <CardHeader
        id="risk-title"
        title="Where the risk sits"
        description="Production clusters failing at least one control (waived findings left out), allow-any rules, lateral exposure, clusters without a policy engine, and the spend at risk of all their clusters over the last 30 days (showback), by owner and by subscription."
      />
      {isPending ? (
        <div className="grid gap-6 lg:grid-cols-2">
          <Skeleton className="h-48 w-full" label="Loading the risk by owner" />
          <Skeleton className="h-48 w-full" label="Loading the risk by subscription" />
        </div>
      ) : error || !risk ? (
        <ErrorState error={error} onRetry={onRetry} />
      ) : risk.byOwner.length === 0 ? (
        <EmptyState title="No production clusters in scope">Clusters count as production when tagged environment=prod or production.</EmptyState>
      ) : (
        <div className="grid gap-8 lg:grid-cols-2 print:grid-cols-2">
          <RiskTable rows={risk.byOwner} dimension="Owner" caption="By owner" by="owner" scope={scope} />
          <RiskTable rows={risk.bySubscription} dimension="Subscription" caption="By subscription" by="subscription" scope={scope} />
        </div>
      )}
    </Card>
  );
}
