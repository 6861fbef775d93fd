// `bulkhead kpis` at work; loaded by the command's action (./kpis), not by its definition.
import Table from "cli-table3";
import { subDays } from "date-fns/subDays";
import { AppError } from "@/lib/errors";
import { formatMoney } from "@/lib/format";
import { DEFAULT_MTTR_WINDOW_DAYS, getKpis, type KpiReport } from "@/lib/kpi/get-kpis";
import { withStore } from "../store";
import type { KpisOptions } from "./kpis";

export async function runKpis(options: KpisOptions): Promise<void> {
  const asOf = options.asOf ?? new Date();
  const from = options.from ?? subDays(asOf, DEFAULT_MTTR_WINDOW_DAYS);
  if (from >= asOf) throw new AppError("bad-request", `--from (${from.toISOString()}) must be before --as-of (${asOf.toISOString()})`);
  const report = await withStore((db) => getKpis(db, { asOf, from, by: options.by ?? "all" }));
  process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatKpiTable(report)}\n`);
}

const dash = "–";
const show = (value: number | null, unit = "") => (value === null ? dash : `${value.toFixed(1)}${unit}`);

export function formatKpiTable(report: KpiReport): string {
  const table = new Table({
    head: [report.by === "all" ? "scope" : report.by, "clusters", "engine enabled", "MTTR h (mean / median, n)", "open NP-01", "allow-any in prod", "audit pass rate", "lateral exposure (clusters)", "spend at risk (share)", "pass rate by spend"],
    style: { head: process.stdout.isTTY ? ["cyan"] : [], border: process.stdout.isTTY ? ["grey"] : [] },
    colAligns: ["left", "right", "right", "right", "right", "right", "right", "right", "right", "right"],
  });
  for (const group of report.groups) {
    table.push([
      group.key,
      group.clusters,
      `${show(group.percentEnabled, "%")} (${group.clustersEnabled})`,
      `${show(group.mttrHours)} / ${show(group.mttrMedianHours)} (${group.resolvedFindings})`,
      group.openFindings,
      group.allowAnyRulesProduction,
      `${show(group.auditPassRate, "%")} (${group.controlsPassed}/${group.controlsPassed + group.controlsFailed})`,
      `${show(group.lateralExposure, "%")} (${group.clustersWithExposure})`,
      group.spendCurrency === "mixed" ? "mixed currencies" : group.spendAtRisk === null ? "no cost data" : `${formatMoney(group.spendAtRisk, group.spendCurrency)} (${show(group.spendAtRiskShare, "%")})`,
      show(group.spendWeightedPassRate, "%"),
    ]);
  }
  const spend = report.groups[0] ? `; spend over the UTC days ${report.groups[0].spendFromDay} … ${report.groups[0].spendToDay}` : "";
  return `KPIs at ${report.asOf} (MTTR over ${report.from} … ${report.asOf}${spend})\n${table.toString()}`;
}
