import { KPI_CARDS, KPIS, MIXED, spendPeriodText } from "@/components/kpi/kpi-meta";
import { PrintButton } from "@/components/overview/print-button";
import { formatDate, formatDateTime, formatInteger, formatMoney, formatPercent } from "@/lib/format";
import { buildHeadline } from "./headline";
import type { BoardReportData } from "@/lib/report/get-board-report";
import { ReportChart } from "./report-chart";

// Paper first: A4 portrait, page numbers in the margin, no links, no truncated names; the
// app's header and the print button stay off paper.
const PAGE_STYLE = `@media print {
  @page { size: A4 portrait; margin: 14mm 14mm 16mm; @bottom-right { content: "Page " counter(page) " of " counter(pages); font: 9px sans-serif; color: #475569; } @bottom-left { content: "Bulkhead board report"; font: 9px sans-serif; color: #475569; } }
  html, body { background: #fff !important; }
  main { max-width: none !important; padding: 0 !important; }
}`;

function KpiFigure({ id, title, value, before, detail, better }: { id: string; title: string; value: string; before: string | null; detail: string; better: boolean | null }) {
  return (
    <div className="break-inside-avoid rounded-lg border border-slate-300 p-3 print:p-2" data-testid={`report-kpi-${id}`}>
      <p className="text-xs font-medium text-slate-700">{title}</p>
      <p className="mt-0.5 whitespace-nowrap text-2xl font-semibold tabular-nums text-slate-900 print:text-xl" data-testid={`report-kpi-value-${id}`}>
        {value}
      </p>
      <p className="text-xs text-slate-700">
        {before === null ? "no figure a month earlier" : `${better === null ? "unchanged from" : better ? "▲ better than" : "▼ worse than"} ${before} a month earlier`}
      </p>
      <p className="mt-1 text-xs text-slate-600">{detail}</p>
    </div>
  );
}

/** A report table: the first column names the row (text, never cut), the others are right-aligned figures. */
function ReportTable({ columns, rows }: { columns: string[]; rows: { key: string; cells: string[] }[] }) {
  return (
    <table className="w-full text-sm">
      <thead>
        <tr className="border-b border-slate-300 text-left text-xs text-slate-600">
          {columns.map((column, index) => (
            <th key={column} scope="col" className={index === 0 ? "py-1 pr-2 font-medium" : "py-1 pr-2 text-right font-medium last:pr-0"}>
              {column}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.key} className="border-b border-slate-100">
            <th scope="row" className="break-words py-1 pr-2 text-left font-medium">
              {row.cells[0]}
            </th>
            {row.cells.slice(1).map((cell, index) => (
              <td key={columns[index + 1]} className="py-1 pr-2 text-right tabular-nums last:pr-0">
                {cell}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** An owner's spend at risk with its currency; missing cost data says so, never zero. */
function ownerSpendAtRisk(spend: BoardReportData["riskOwners"][number]["spend"]): string {
  if (spend.spendCurrency === MIXED) return "several currencies";
  return spend.spendAtRisk === null ? "no cost data" : formatMoney(spend.spendAtRisk, spend.spendCurrency);
}

/** The board report: title, scope, time, who made it; the headline; the KPIs; 12 months of the percentages; who owns the risk. */
export function BoardReport({ report, scopeText, generatedBy, generatedAt }: { report: BoardReportData; scopeText: string; generatedBy: string; generatedAt: string }) {
  const severe = report.breaches.owners.reduce((sum, row) => sum + row.severe, 0);
  const headline = buildHeadline({ kpis: KPIS, now: report.now, before: report.before, beforeAt: report.beforeAt, slaBreaches: report.breaches.total, severeBreaches: severe });
  const chartKpis = KPIS.filter((kpi) => kpi.reportChart);
  const before = report.before && report.before.clusters > 0 ? report.before : null;
  return (
    <article className="mx-auto max-w-[52rem] space-y-5 bg-white p-6 text-slate-900 shadow-sm print:max-w-none print:p-0 print:shadow-none" data-testid="board-report">
      <style>{PAGE_STYLE}</style>
      <header className="flex flex-wrap items-start justify-between gap-4 border-b border-slate-300 pb-3">
        <div>
          <p className="text-xs font-semibold uppercase tracking-wide text-slate-600">Bulkhead · network segmentation of the AKS estate</p>
          <h1 className="mt-1 text-2xl font-semibold tracking-tight">Board report</h1>
          <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-3 gap-y-0.5 text-sm">
            <dt className="text-slate-600">Scope</dt>
            <dd data-testid="report-scope">{scopeText}</dd>
            <dt className="text-slate-600">As of</dt>
            <dd>
              <time dateTime={report.asOf}>{formatDateTime(report.asOf)}</time>
            </dd>
            <dt className="text-slate-600">Generated</dt>
            <dd>
              {formatDateTime(generatedAt)} by {generatedBy}
            </dd>
          </dl>
        </div>
        <div className="print:hidden">
          <PrintButton />
        </div>
      </header>

      <section aria-labelledby="headline-title">
        <h2 id="headline-title" className="sr-only">
          Headline
        </h2>
        <p className="text-lg font-medium leading-snug" data-testid="report-headline" data-verdict={headline.verdict}>
          {headline.sentence}
        </p>
      </section>

      <section aria-labelledby="kpis-title">
        <h2 id="kpis-title" className="mb-2 text-base font-semibold">
          Where we stand
        </h2>
        {/* Seven figures, four to a row: on paper a little tighter, so the chart still fits on the first page. */}
        <div className="grid grid-cols-2 gap-3 md:grid-cols-4 print:grid-cols-4 print:gap-2">
          {KPI_CARDS.map((kpi) => {
            const now = report.now[kpi.id];
            const then = before ? before[kpi.id] : null;
            const better = then === null || now === null || now === then ? null : kpi.better === "higher" ? now > then : now < then;
            return <KpiFigure key={kpi.id} id={kpi.id} title={kpi.title} value={kpi.display(report.now)} before={before && then !== null ? kpi.display(before) : null} detail={kpi.detail(report.now)} better={better} />;
          })}
        </div>
      </section>

      <section aria-labelledby="chart-title" className="break-inside-avoid">
        <h2 id="chart-title" className="mb-1 text-base font-semibold">
          The last 12 months
        </h2>
        <ReportChart series={report.trend} kpis={chartKpis} />
      </section>

      <section aria-labelledby="risk-owners-title" className="break-inside-avoid">
        <h2 id="risk-owners-title" className="mb-1 text-base font-semibold">
          Top risk owners
        </h2>
        <p className="mb-2 text-xs text-slate-600">
          Production clusters failing at least one control (waived findings left out), allow-any rules, lateral exposure (pod-weighted) and clusters without a policy engine,
          per owner tag; spend at risk is the AKS spend of all the owner&apos;s clusters while they failed NP-01, NP-02 or NP-03, {spendPeriodText(report.now)}, in the billing
          currency.
        </p>
        {report.riskOwners.length === 0 ? (
          <p className="text-sm">No production cluster in scope fails a control.</p>
        ) : (
          <ReportTable
            columns={["Owner", "Failing production clusters", "Allow-any rules", "Lateral exposure", "No policy engine", "Spend at risk"]}
            rows={report.riskOwners.map((row) => ({
              key: row.key,
              cells: [
                row.label,
                `${formatInteger(row.failingClusters)} of ${formatInteger(row.productionClusters)}`,
                formatInteger(row.allowAnyRules),
                formatPercent(row.lateralExposure),
                formatInteger(row.withoutEngine),
                ownerSpendAtRisk(row.spend),
              ],
            }))}
          />
        )}
      </section>

      <section aria-labelledby="breaches-title" className="break-inside-avoid">
        <h2 id="breaches-title" className="mb-1 text-base font-semibold">
          Critical and high findings past their SLA, by owner
        </h2>
        <p className="mb-2 text-xs text-slate-600">
          Open findings past their SLA due date, whatever due date was agreed since; waived findings left out. {formatInteger(report.breaches.total)} in all, {formatInteger(severe)} of them
          critical or high.
        </p>
        {report.breaches.owners.length === 0 ? (
          <p className="text-sm">No critical or high finding is past its SLA.</p>
        ) : (
          <ReportTable
            columns={["Owner", "Critical or high", "All past SLA", "Extended", "Oldest SLA due"]}
            rows={report.breaches.owners.map((row) => ({
              key: row.owner,
              cells: [row.owner, formatInteger(row.severe), formatInteger(row.overdue), formatInteger(row.extended), formatDate(row.oldestDueAt)],
            }))}
          />
        )}
      </section>
      <footer className="border-t border-slate-300 pt-2 text-xs text-slate-600">
        KPIs as defined in Bulkhead&apos;s design contract (docs/design.md §5): figures at the end of each UTC day; percentages and hours rounded to one decimal.
      </footer>
    </article>
  );
}
