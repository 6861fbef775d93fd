import "server-only";
import client from "prom-client";
import type { Database } from "@/lib/db/client";
import { getKpis, type KpiGroup } from "@/lib/kpi/get-kpis";
import type { KpiGroupBy } from "@/lib/kpi/scope";
import type { FaultCause } from "@/lib/sources/source";

// Gauges read from the store at scrape time, in a registry of their own per scrape: a subscription
// or owner that left the estate leaves the answer with it, and every replica of the web server
// reports the same figures (they are the store's, not the process's).

type KpiField = Exclude<keyof KpiGroup, "key" | "spendCurrency" | "spendFromDay" | "spendToDay" | "spendTotal" | "spendAtRisk">;

/** One gauge per field of `bulkhead kpis --json` (docs/design.md §6), labelled by grouping and group key. */
const KPI_GAUGES: { field: KpiField; name: string; help: string }[] = [
  { field: "clusters", name: "bulkhead_kpi_clusters", help: "Clusters in scope (carried forward, not deleted)." },
  { field: "clustersEnabled", name: "bulkhead_kpi_clusters_enabled", help: "Clusters in scope whose NP-01 (policy engine enabled) passes." },
  { field: "percentEnabled", name: "bulkhead_kpi_percent_enabled", help: "Percent of clusters in scope with a network policy engine." },
  { field: "mttrHours", name: "bulkhead_kpi_mttr_hours", help: "Mean time to remediate NP-01 findings resolved in the last 30 days, in hours (absent when none)." },
  { field: "mttrMedianHours", name: "bulkhead_kpi_mttr_median_hours", help: "Median time to remediate NP-01 findings resolved in the last 30 days, in hours (absent when none)." },
  { field: "resolvedFindings", name: "bulkhead_kpi_resolved_findings", help: "NP-01 findings resolved in the last 30 days." },
  { field: "openFindings", name: "bulkhead_kpi_open_findings", help: "NP-01 findings open now." },
  { field: "allowAnyRulesProduction", name: "bulkhead_kpi_allow_any_rules_production", help: "Allow-any rules in production clusters." },
  { field: "controlsPassed", name: "bulkhead_kpi_controls_passed", help: "Control results that pass (waived findings and n/a left out)." },
  { field: "controlsFailed", name: "bulkhead_kpi_controls_failed", help: "Control results that fail (waived findings and n/a left out)." },
  { field: "auditPassRate", name: "bulkhead_kpi_audit_pass_rate", help: "Percent of control results that pass." },
  {
    field: "lateralExposure",
    name: "bulkhead_kpi_lateral_exposure",
    help: "Pod-weighted mean lateral exposure, percent: the share of pod pairs where one pod can connect to the other (absent when no cluster has in-cluster data).",
  },
  { field: "clustersWithExposure", name: "bulkhead_kpi_clusters_with_exposure", help: "Clusters in scope whose lateral exposure is known (in-cluster data, two pods or more)." },
  // Shares only: amounts are in a billing currency, which a gauge cannot state (docs/costs.md).
  { field: "spendAtRiskShare", name: "bulkhead_kpi_spend_at_risk_share", help: "Percent of AKS spend over the last 30 days in clusters failing NP-01, NP-02 or NP-03 (absent without cost data)." },
  { field: "spendWeightedPassRate", name: "bulkhead_kpi_spend_weighted_pass_rate", help: "Audit pass rate weighted by each cluster's spend over the last 30 days, percent (absent without cost data)." },
  { field: "clustersWithCost", name: "bulkhead_kpi_clusters_with_cost", help: "Clusters with a cost read for the last 30 days." },
];

const GROUPINGS: KpiGroupBy[] = ["all", "subscription", "owner"];

/** Every cause a run records (lib/sources/source.ts), so that each has a series, at 0 when absent. */
const FAULT_CAUSES: FaultCause[] = ["forbidden", "not-found", "throttled", "server-error", "timeout", "unreachable", "malformed", "unauthenticated", "unknown"];
const RUN_STATUSES = ["running", "completed", "failed", "undone"];

export async function collectStoreMetrics(db: Database, now: Date): Promise<client.Registry> {
  const registry = new client.Registry();
  await Promise.all([collectKpis(db, now, registry), collectRuns(db, registry)]);
  return registry;
}

async function collectKpis(db: Database, now: Date, registry: client.Registry): Promise<void> {
  const reports = await Promise.all(GROUPINGS.map((by) => getKpis(db, { asOf: now, by })));
  for (const { field, name, help } of KPI_GAUGES) {
    const gauge = new client.Gauge({ name, help, labelNames: ["by", "key"], registers: [registry] });
    for (const report of reports) {
      for (const group of report.groups) {
        const value = group[field];
        if (value !== null) gauge.set({ by: report.by, key: group.key }, value);
      }
    }
  }
}

interface LastRunRow {
  id: number;
  source: string;
  status: string;
  started: Date;
  finished: Date;
}

async function collectRuns(db: Database, registry: client.Registry): Promise<void> {
  const [counts, last, lastCompleted] = await Promise.all([
    db.pool.query<{ status: string; n: number }>("SELECT status::text AS status, count(*)::int AS n FROM collection_runs GROUP BY status"),
    db.pool.query<LastRunRow>(
      `SELECT id, source, status::text AS status, started_at AS started, finished_at AS finished
         FROM collection_runs WHERE status IN ('completed', 'failed') AND finished_at IS NOT NULL
        ORDER BY finished_at DESC, id DESC LIMIT 1`,
    ),
    db.pool.query<{ finished: Date }>("SELECT max(finished_at) AS finished FROM collection_runs WHERE status = 'completed'"),
  ]);

  const runs = new client.Gauge({ name: "bulkhead_runs", help: "Collection runs recorded in the store, by status.", labelNames: ["status"], registers: [registry] });
  for (const status of RUN_STATUSES) runs.set({ status }, counts.rows.find((row) => row.status === status)?.n ?? 0);

  const duration = new client.Gauge({ name: "bulkhead_last_run_duration_seconds", help: "Duration of the last finished collection run (completed or failed), by its outcome and source.", labelNames: ["status", "source"], registers: [registry] });
  const finishedAt = new client.Gauge({ name: "bulkhead_last_run_finished_timestamp_seconds", help: "When the last finished collection run ended (Unix time), by its outcome and source.", labelNames: ["status", "source"], registers: [registry] });
  const errors = new client.Gauge({ name: "bulkhead_last_run_errors", help: "Errors recorded by the last finished collection run, by cause.", labelNames: ["cause"], registers: [registry] });
  const completedAt = new client.Gauge({ name: "bulkhead_last_completed_run_timestamp_seconds", help: "When the last completed collection run ended (Unix time); absent before the first.", registers: [registry] });

  const run = last.rows[0];
  const byCause = new Map<string, number>();
  if (run) {
    const labels = { status: run.status, source: run.source };
    duration.set(labels, (run.finished.getTime() - run.started.getTime()) / 1000);
    finishedAt.set(labels, run.finished.getTime() / 1000);
    const rows = await db.pool.query<{ cause: string; n: number }>("SELECT cause, count(*)::int AS n FROM run_errors WHERE run_id = $1 GROUP BY cause", [run.id]);
    for (const row of rows.rows) byCause.set(row.cause, row.n);
  }
  for (const cause of new Set<string>([...FAULT_CAUSES, ...byCause.keys()])) errors.set({ cause }, byCause.get(cause) ?? 0);
  const completed = lastCompleted.rows[0]?.finished;
  if (completed) completedAt.set(completed.getTime() / 1000);
}
