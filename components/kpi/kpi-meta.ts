// The one list of KPIs (docs/design.md §5): what each is called, its unit, which way is better, how
// its figure and its line of context read. The Overview's cards, Trends (chart, table, CSV) and the
// board report all derive from this list, so a new KPI is one entry here (and its field in KpiGroup).
import type { KpiGroup } from "@/lib/kpi/get-kpis";
import { formatDate, formatDay, formatHours, formatInteger, formatMoney, formatPercent } from "@/lib/format";
import { CONTROL_SPAN } from "@/lib/posture/control-catalogue";

export type KpiId = "percentEnabled" | "mttrHours" | "allowAnyRulesProduction" | "auditPassRate" | "lateralExposure" | "spendAtRisk" | "spendAtRiskShare" | "spendWeightedPassRate";
/** `money`: an amount in the billing currency the figures carry (docs/costs.md). */
export type KpiUnit = "percent" | "hours" | "count" | "money";

export interface KpiMeta {
  id: KpiId;
  /** Short URL value (`/trends?kpi=`). */
  slug: string;
  title: string;
  /** Shorter label for controls and tight spaces. */
  short: string;
  unit: KpiUnit;
  better: "higher" | "lower";
  description: string;
  /** The figure as a card shows it, with its unit. */
  display: (group: KpiGroup) => string;
  /** One line of context: what the figure is made of. */
  detail: (group: KpiGroup) => string;
  /** Drawn on the board report's 12-month chart (percentages only: the chart has one axis). */
  reportChart?: boolean;
  /** False: on Trends and in exports only, not a card of its own (another card states it in its context line). */
  card?: boolean;
}

export const KPIS: readonly KpiMeta[] = [
  {
    id: "percentEnabled",
    slug: "enabled",
    title: "Clusters with a policy engine",
    short: "Policy engine",
    unit: "percent",
    better: "higher",
    description: "Share of clusters whose NP-01 passes: Azure NPM, Calico or Cilium enforces NetworkPolicies.",
    display: (group) => formatPercent(group.percentEnabled),
    detail: (group) => `${formatInteger(group.clustersEnabled)} of ${formatInteger(group.clusters)} clusters`,
  },
  {
    id: "mttrHours",
    slug: "mttr",
    title: "Time to enable an engine (MTTR)",
    short: "MTTR",
    unit: "hours",
    better: "lower",
    description: "Mean time from a cluster failing NP-01 to it passing, over findings resolved in the 30 days before.",
    display: (group) => formatHours(group.mttrHours),
    detail: (group) =>
      group.resolvedFindings === 0
        ? `No NP-01 finding resolved in the 30 days · ${formatInteger(group.openFindings)} open`
        : `Median ${formatHours(group.mttrMedianHours)} · n = ${formatInteger(group.resolvedFindings)} resolved in 30 days · ${formatInteger(group.openFindings)} open`,
  },
  {
    id: "allowAnyRulesProduction",
    slug: "allow-any",
    title: "Allow-any rules in production",
    short: "Allow-any (prod)",
    unit: "count",
    better: "lower",
    description: "NetworkPolicy rules in production clusters that admit any peer on any port.",
    display: (group) => formatInteger(group.allowAnyRulesProduction),
    detail: () => "Rules admitting any peer on any port, in production clusters",
  },
  {
    id: "auditPassRate",
    slug: "pass-rate",
    title: "Audit pass rate",
    short: "Pass rate",
    unit: "percent",
    better: "higher",
    description: `Passed ÷ (passed + failed) over all control results ${CONTROL_SPAN}; n/a and waived findings left out.`,
    reportChart: true,
    display: (group) => formatPercent(group.auditPassRate),
    detail: (group) => `${formatInteger(group.controlsPassed)} of ${formatInteger(group.controlsPassed + group.controlsFailed)} control results passed`,
  },
  {
    id: "lateralExposure",
    slug: "exposure",
    title: "Lateral exposure",
    short: "Exposure",
    unit: "percent",
    better: "lower",
    description:
      "Share of pairs of workload pods in a cluster where the first can open a connection to the second (both policies admit it on some port), pod-weighted over the clusters with in-cluster data: how far one compromised pod reaches.",
    reportChart: true,
    display: (group) => formatPercent(group.lateralExposure),
    detail: (group) =>
      group.clustersWithExposure === 0
        ? "No cluster in scope with in-cluster data to compute it"
        : `A compromised pod reaches this share of the others · pod-weighted over ${formatInteger(group.clustersWithExposure)} of ${formatInteger(group.clusters)} clusters`,
  },
  {
    id: "spendAtRisk",
    slug: "spend-at-risk",
    title: "Spend at risk",
    short: "Spend at risk",
    unit: "money",
    better: "lower",
    description:
      "AKS spend over the 30 days (actual cost, billing currency) of clusters failing NP-01, NP-02 or NP-03 unwaived on the day the cost was incurred: money running without a policy engine or without default deny.",
    display: (group) => (group.spendCurrency === MIXED ? "Mixed currencies" : group.spendAtRisk === null ? "No cost data" : formatMoney(group.spendAtRisk, group.spendCurrency)),
    detail: (group) => {
      const period = spendPeriodText(group);
      if (group.spendCurrency === MIXED) return `Clusters are billed in several currencies, which are not added up · ${period}`;
      if (group.spendTotal === null) return `Cost data missing for ${period}: not counted as zero`;
      return `${formatPercent(group.spendAtRiskShare)} of ${formatMoney(group.spendTotal, group.spendCurrency)} AKS spend · ${period} · cost known for ${formatInteger(group.clustersWithCost)} of ${formatInteger(group.clusters)} clusters`;
    },
  },
  {
    id: "spendAtRiskShare",
    slug: "spend-at-risk-share",
    title: "Share of spend at risk",
    short: "Spend at risk (%)",
    unit: "percent",
    better: "lower",
    card: false,
    description: "Spend at risk ÷ all AKS spend of the clusters in scope over the 30 days × 100: comparable across owners and subscriptions of any size.",
    display: (group) => formatPercent(group.spendAtRiskShare),
    detail: (group) =>
      group.spendTotal === null ? `Cost data missing for ${spendPeriodText(group)}` : `${formatMoney(group.spendAtRisk, group.spendCurrency)} of ${formatMoney(group.spendTotal, group.spendCurrency)} · ${spendPeriodText(group)}`,
  },
  {
    id: "spendWeightedPassRate",
    slug: "pass-rate-by-spend",
    title: "Audit pass rate by spend",
    short: "Pass rate (spend)",
    unit: "percent",
    better: "higher",
    description: "The audit pass rate with each cluster's day weighted by what it cost that day, over the 30 days: how much of the money runs on controls that pass.",
    display: (group) => (group.spendCurrency === MIXED ? "Mixed currencies" : group.spendTotal === null ? "No cost data" : formatPercent(group.spendWeightedPassRate)),
    detail: (group) =>
      group.spendCurrency === MIXED
        ? `Clusters are billed in several currencies, which are not weighed together · ${spendPeriodText(group)}`
        : group.spendWeightedPassRate === null
        ? `No cost data to weigh by · ${spendPeriodText(group)}`
        : `Weighted by ${group.spendCurrency} spend · ${spendPeriodText(group)} · unweighted ${formatPercent(group.auditPassRate)}`,
  },
];

/** The `spendCurrency` of a group billed in several currencies (lib/kpi/get-spend-kpis.ts). */
export const MIXED = "mixed";

/** "8 Nov – 7 Dec 2026 (UTC)": the days a spend figure covers. */
export function spendPeriodText(group: Pick<KpiGroup, "spendFromDay" | "spendToDay">): string {
  return `${formatDay(group.spendFromDay)} – ${formatDate(`${group.spendToDay}T00:00:00Z`)} (UTC)`;
}

/** The KPIs shown as cards (Overview, board report). */
export const KPI_CARDS: readonly KpiMeta[] = KPIS.filter((kpi) => kpi.card !== false);

export const kpiBySlug = (slug: string | null | undefined): KpiMeta | undefined => KPIS.find((kpi) => kpi.slug === slug);

export const kpiValue = (group: KpiGroup | undefined, id: KpiId): number | null => (group ? group[id] : null);

/** Hours are shown as days when the figures run long; one unit per chart, table and CSV. */
export type DurationUnit = "h" | "d";

export function chooseDurationUnit(values: (number | null)[]): DurationUnit {
  const max = Math.max(0, ...values.filter((value): value is number => value !== null));
  return max >= 72 ? "d" : "h";
}

/** `currency` is the billing currency of money figures (null: not known, or several). */
export function unitLabel(unit: KpiUnit, duration: DurationUnit = "h", currency: string | null = null): string {
  if (unit === "percent") return "%";
  if (unit === "hours") return duration === "d" ? "days" : "hours";
  if (unit === "money") return currency && /^[A-Z]{3}$/.test(currency) ? currency : "currency";
  return "rules";
}

/** The number as shown: one decimal for percentages and durations, whole numbers for counts. */
export function displayNumber(value: number | null | undefined, unit: KpiUnit, duration: DurationUnit = "h"): string {
  if (value === null || value === undefined) return "";
  if (unit === "count" || unit === "money") return String(Math.round(value));
  if (unit === "hours" && duration === "d") return (value / 24).toFixed(1);
  return value.toFixed(1);
}
