// `bulkhead import` with DIR/costs.json (docs/costs.md): optional, checked whole before anything is
// written, and read into spend at risk by `bulkhead kpis`.
import { cp, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/testing/test-database";
import { runCli } from "@/testing/run-cli";

const FIXTURES = fileURLToPath(new URL("../../testing/fixtures/sample-estate/", import.meta.url));
const SUB_PAY = "3f2b8c1e-5d4a-4e7b-9c6f-1a2b3c4d5e6f";
const id = (group: string, name: string) => `/subscriptions/${SUB_PAY}/resourcegroups/${group}/providers/Microsoft.ContainerService/managedClusters/${name}`;
// aks-ledger-prod (Calico) denies by default everywhere: NP-01..03 pass; aks-analytics-prod has no engine.
const PAYMENTS = id("rg-payments", "aks-payments-prod");
const LEDGER = id("rg-ledger", "aks-ledger-prod");
const ANALYTICS = id("rg-analytics", "aks-analytics-prod");

let db: TestDatabase;
let work: string;
let env: Record<string, string>;

beforeAll(async () => {
  db = await createTestDatabase();
  work = await mkdtemp(path.join(tmpdir(), "bulkhead-import-costs-"));
  env = { DATABASE_URL: db.url };
});
afterAll(async () => {
  await db?.close();
  await rm(work, { recursive: true, force: true });
});

async function estateWithCosts(name: string, costs: unknown): Promise<string> {
  const directory = path.join(work, name);
  await cp(FIXTURES, directory, { recursive: true });
  await writeFile(path.join(directory, "costs.json"), typeof costs === "string" ? costs : JSON.stringify(costs));
  return directory;
}

describe("costs.json", () => {
  test.each([
    ["not a list", { costs: [] }, /costs\.json: expected a list of \{clusterId, date, cost, currency\}/],
    ["a row that is not an object", [42], /costs\.json\[0\]: expected an object \{clusterId, date, cost, currency\}/],
    ["a cluster id that is not an AKS id", [{ clusterId: "aks-payments-prod", date: "2026-04-01", cost: 1, currency: "EUR" }], /costs\.json\[0\]\.clusterId: must be the cluster's ARM id/],
    ["a date that is no day", [{ clusterId: PAYMENTS, date: "2026-02-30", cost: 1, currency: "EUR" }], /costs\.json\[0\]\.date: is not a calendar day/],
    ["a cost that is a string", [{ clusterId: PAYMENTS, date: "2026-04-01", cost: "12.5", currency: "EUR" }], /costs\.json\[0\]\.cost: /],
    ["a currency symbol", [{ clusterId: PAYMENTS, date: "2026-04-01", cost: 1, currency: "€" }], /costs\.json\[0\]\.currency: must be an ISO 4217 code/],
    [
      "the same cluster and day twice",
      [
        { clusterId: PAYMENTS, date: "2026-04-01", cost: 1, currency: "EUR" },
        { clusterId: PAYMENTS.toLowerCase(), date: "2026-04-01", cost: 2, currency: "EUR" },
      ],
      /costs\.json\[1\]: repeats the cluster and day of item 0/,
    ],
    ["not JSON", "[{", /costs\.json: is not valid JSON/],
  ])("%s: exit 2 naming the row and field, nothing written", async (label, costs, message) => {
    const directory = await estateWithCosts(`bad-${label.replace(/\W+/g, "-")}`, costs);
    const runs = await db.prisma.collectionRun.count();
    const result = await runCli(["import", directory, "--as-of", "2026-04-02T06:00:00Z"], env);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(await db.prisma.collectionRun.count()).toBe(runs);
  });

  test("read into spend at risk; without costs.json the spend is missing, not zero", async () => {
    const plain = path.join(work, "plain");
    await cp(FIXTURES, plain, { recursive: true });
    expect((await runCli(["import", plain, "--as-of", "2026-04-01T06:00:00Z"], env)).code).toBe(0);
    const before = JSON.parse((await runCli(["kpis", "--as-of", "2026-04-01T12:00:00Z", "--json"], env)).stdout).groups[0];
    expect(before).toMatchObject({ spendTotal: null, spendAtRisk: null, spendCurrency: null, clustersWithCost: 0 });

    const directory = await estateWithCosts("good", [
      { clusterId: LEDGER, date: "2026-04-01", cost: 412.5, currency: "EUR" },
      { clusterId: ANALYTICS, date: "2026-04-01", cost: 187.5, currency: "EUR" },
    ]);
    const result = await runCli(["import", directory, "--as-of", "2026-04-02T06:00:00Z"], env);
    expect(result.code).toBe(0);
    const rows = await db.pool.query<{ cluster_key: string; day: string; cost: string; currency: string }>("SELECT cluster_key, to_char(day, 'YYYY-MM-DD') AS day, cost::text, currency FROM cluster_costs ORDER BY cost");
    expect(rows.rows).toEqual([
      { cluster_key: ANALYTICS.toLowerCase(), day: "2026-04-01", cost: "187.5000", currency: "EUR" },
      { cluster_key: LEDGER.toLowerCase(), day: "2026-04-01", cost: "412.5000", currency: "EUR" },
    ]);
    const after = JSON.parse((await runCli(["kpis", "--as-of", "2026-04-02T12:00:00Z", "--json"], env)).stdout).groups[0];
    expect(after).toMatchObject({ spendCurrency: "EUR", spendTotal: 600, spendAtRisk: 187.5, spendAtRiskShare: 31.3, clustersWithCost: 2, spendFromDay: "2026-03-03", spendToDay: "2026-04-01" });
    const table = await runCli(["kpis", "--as-of", "2026-04-02T12:00:00Z", "--by", "owner"], env);
    expect(table.stdout).toContain("EUR 188 (100.0%)");
  });
});
