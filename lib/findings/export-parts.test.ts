import { describe, expect, test } from "vitest";
import { findingsCsvParts, findingsJsonParts, findingsToCsv, type FindingsExport } from "./export-findings";
import type { FindingRow } from "./list-findings";

function finding(id: number, overrides: Partial<FindingRow> = {}): FindingRow {
  return {
    id,
    controlId: "NP-01",
    severity: "high",
    status: "open",
    clusterId: id,
    clusterName: `aks-${id}`,
    resourceGroup: "rg-one",
    subscriptionId: "sub-1",
    subscriptionName: null,
    owner: "team-a",
    production: id % 2 === 0,
    assignee: null,
    openedAt: "2026-01-01T00:00:00.000Z",
    resolvedAt: null,
    resolution: null,
    dueAt: "2026-01-31T23:59:59.999Z",
    slaDueAt: "2026-01-31T23:59:59.999Z",
    agreedDueAt: null,
    dueReason: null,
    slaBreached: false,
    ageDays: 3,
    waiver: id % 3 === 0 ? { id: 9, reason: 'accepted, "for now"\nline two', expiresAt: "2026-03-01T00:00:00.000Z", createdBy: "sec@example.com" } : null,
    ...overrides,
  };
}

async function* batchesOf<T>(...batches: T[][]): AsyncGenerator<T[]> {
  for (const batch of batches) yield batch;
}

async function joined(parts: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const part of parts) out.push(part);
  return out;
}

// Cells that spreadsheets would run as formulas, quotes, commas and line breaks: the cases where a
// CSV sent in parts could differ from the CSV of the whole.
const rows = [
  finding(1, { owner: "=HYPERLINK(\"x\")", dueReason: "moved, by agreement" }),
  finding(2, { assignee: "+ops@example.com", clusterName: 'aks "two"' }),
  finding(3),
  finding(4, { subscriptionName: "-Prod\r\nEU", resolution: "fixed" }),
  finding(5, { dueReason: "@owner asked" }),
];

describe("an export sent in parts is the export of the whole, byte for byte", () => {
  test("CSV: any split into batches", async () => {
    for (const split of [[5], [1, 4], [2, 2, 1], [1, 1, 1, 1, 1]]) {
      let at = 0;
      const batches = split.map((size) => rows.slice(at, (at += size)));
      const parts = await joined(findingsCsvParts(batchesOf(...batches)));
      expect(parts).toHaveLength(split.length);
      expect(parts.join(""), JSON.stringify(split)).toBe(findingsToCsv(rows));
    }
  });

  test("CSV: no findings is the header alone", async () => {
    expect((await joined(findingsCsvParts(batchesOf<FindingRow>()))).join("")).toBe(findingsToCsv([]));
    expect(findingsToCsv([])).toMatch(/^Finding,Control,/);
  });

  test("JSON: any split, and no findings", async () => {
    const head: Omit<FindingsExport, "findings"> = { generatedAt: "2026-12-08T00:00:00.000Z", generatedBy: "sec@example.com", filters: { severity: "high", q: 'a "b"' }, count: 5 };
    for (const split of [[5], [1, 4], [2, 0, 3], [1, 1, 1, 1, 1]]) {
      let at = 0;
      const batches = split.map((size) => rows.slice(at, (at += size)));
      const text = (await joined(findingsJsonParts(head, batchesOf(...batches)))).join("");
      expect(text, JSON.stringify(split)).toBe(JSON.stringify({ ...head, findings: rows }, null, 2));
    }
    const none = { ...head, count: 0 };
    expect((await joined(findingsJsonParts(none, batchesOf<FindingRow>()))).join("")).toBe(JSON.stringify({ ...none, findings: [] }, null, 2));
  });
});
