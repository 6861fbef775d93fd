// The Findings page's export: exactly the filtered list, every page of it, as CSV (through lib/csv.ts)
// or JSON. Client-safe: no server imports.
import { toSafeCsv, toSafeCsvRows } from "@/lib/csv";
import { CONTROLS } from "@/lib/posture/control-catalogue";
import type { FindingRow } from "./list-findings";

const TITLES = new Map<string, string>(CONTROLS.map((control) => [control.id, control.title]));

/** The export's columns: header and value, in order. Dates are ISO 8601 UTC, so spreadsheets sort them. */
const COLUMNS: { header: string; value: (row: FindingRow) => string | number | null }[] = [
  { header: "Finding", value: (row) => row.id },
  { header: "Control", value: (row) => row.controlId },
  { header: "Control title", value: (row) => TITLES.get(row.controlId) ?? row.controlId },
  { header: "Severity", value: (row) => row.severity },
  { header: "Status", value: (row) => row.status },
  { header: "SLA breached", value: (row) => (row.slaBreached ? "yes" : "no") },
  { header: "Cluster", value: (row) => row.clusterName },
  { header: "Resource group", value: (row) => row.resourceGroup },
  { header: "Subscription", value: (row) => row.subscriptionName ?? row.subscriptionId },
  { header: "Subscription id", value: (row) => row.subscriptionId },
  { header: "Owner", value: (row) => row.owner },
  { header: "Environment", value: (row) => (row.production ? "production" : "non-production") },
  { header: "Assignee", value: (row) => row.assignee },
  { header: "Opened (UTC)", value: (row) => row.openedAt },
  { header: "SLA due (UTC)", value: (row) => row.slaDueAt },
  { header: "Due (UTC)", value: (row) => row.dueAt },
  { header: "Extension reason", value: (row) => row.dueReason },
  { header: "Waived through (UTC)", value: (row) => (row.waiver ? new Date(new Date(row.waiver.expiresAt).getTime() - 1).toISOString() : null) },
  { header: "Waiver reason", value: (row) => row.waiver?.reason ?? null },
  { header: "Resolved (UTC)", value: (row) => row.resolvedAt },
];

const cells = (row: FindingRow) => COLUMNS.map((column) => column.value(row));

export function findingsToCsv(rows: readonly FindingRow[]): string {
  return toSafeCsv(
    COLUMNS.map((column) => column.header),
    rows.map(cells),
  );
}

/** The CSV of `batches` as it is sent, a part per batch: together, byte for byte `findingsToCsv` of every row. */
export async function* findingsCsvParts(batches: AsyncIterable<readonly FindingRow[]>): AsyncGenerator<string, void, undefined> {
  let started = false;
  for await (const rows of batches) {
    yield started ? toSafeCsvRows(rows.map(cells)) : findingsToCsv(rows);
    started = true;
  }
  if (!started) yield findingsToCsv([]);
}

/**
 * The JSON export of `batches` as it is sent, a part per batch: together, byte for byte the document
 * `JSON.stringify({ ...head, findings }, null, 2)`.
 */
export async function* findingsJsonParts(head: Omit<FindingsExport, "findings">, batches: AsyncIterable<readonly FindingRow[]>): AsyncGenerator<string, void, undefined> {
  // The findings come last, so the document without them ends in `[]` and a closing brace.
  const empty = JSON.stringify({ ...head, findings: [] }, null, 2);
  const open = empty.slice(0, -"]\n}".length);
  let started = false;
  for await (const rows of batches) {
    const items = rows.map((row) => `\n    ${JSON.stringify(row, null, 2).replaceAll("\n", "\n    ")}`);
    if (items.length === 0) continue;
    yield `${started ? "," : open}${items.join(",")}`;
    started = true;
  }
  yield started ? "\n  ]\n}" : empty;
}

export interface FindingsExport {
  generatedAt: string;
  generatedBy: string;
  /** The filters the list was exported with, as in the address. */
  filters: Record<string, string>;
  count: number;
  findings: FindingRow[];
}

export function findingsExportFileName(format: "csv" | "json", at: Date): string {
  return `bulkhead-findings_${at.toISOString().slice(0, 16).replace(/[:T]/g, "-")}.${format}`;
}
