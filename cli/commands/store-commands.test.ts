import { cp, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createTestDatabase } from "@/testing/test-database";
import { setupTestDatabase } from "@/testing/setup-test-database";
import { runCli } from "@/testing/run-cli";

const FIXTURES = fileURLToPath(new URL("../../testing/fixtures/sample-estate/", import.meta.url));

const db = setupTestDatabase();
let work: string;
let env: Record<string, string>;
beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), "bulkhead-cli-"));
  env = { DATABASE_URL: db.url };
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe("bulkhead import and kpis", () => {
  test("imports the sample estate, prints a run summary, and kpis --json prints the documented shape", async () => {
    const imported = await runCli(["import", FIXTURES, "--as-of", "2026-03-01T06:00:00Z"], env);
    expect(imported.stderr).toMatch(/Run #1 completed/);
    expect(imported.stderr).toMatch(/clusters seen: 6, in-cluster coverage: 5\/6 \(83\.3%\)/);
    expect(imported.code).toBe(0);

    const kpis = await runCli(["kpis", "--as-of", "2026-03-02T00:00:00Z", "--json"], env);
    expect(kpis.code).toBe(0);
    const report = JSON.parse(kpis.stdout);
    expect(Object.keys(report)).toEqual(["asOf", "from", "by", "groups"]);
    expect(report).toMatchObject({ asOf: "2026-03-02T00:00:00.000Z", from: "2026-01-31T00:00:00.000Z", by: "all" });
    expect(report.groups).toHaveLength(1);
    expect(Object.keys(report.groups[0])).toEqual([
      "key", "clusters", "clustersEnabled", "percentEnabled", "mttrHours", "mttrMedianHours", "resolvedFindings",
      "openFindings", "allowAnyRulesProduction", "controlsPassed", "controlsFailed", "auditPassRate", "lateralExposure", "clustersWithExposure",
      "spendCurrency", "spendFromDay", "spendToDay", "spendTotal", "spendAtRisk", "spendAtRiskShare", "spendWeightedPassRate", "clustersWithCost",
    ]);
    // The sample estate has no costs.json: spend is missing (null), never zero, over the 30 days before --as-of.
    expect(report.groups[0]).toMatchObject({
      spendCurrency: null, spendFromDay: "2026-01-31", spendToDay: "2026-03-01", spendTotal: null, spendAtRisk: null, spendAtRiskShare: null, spendWeightedPassRate: null, clustersWithCost: 0,
    });
    // Lateral exposure: the pod-weighted mean over the five clusters whose objects were imported.
    const snapshots = await db.prisma.snapshot.findMany({ where: { lateralExposure: { not: null } } });
    expect(snapshots).toHaveLength(5);
    const pods = snapshots.reduce((sum, snapshot) => sum + (snapshot.workloadPods ?? 0), 0);
    const weighted = snapshots.reduce((sum, snapshot) => sum + snapshot.lateralExposure!.toNumber() * (snapshot.workloadPods ?? 0), 0);
    expect(report.groups[0]).toMatchObject({ clustersWithExposure: 5, lateralExposure: Math.round((weighted / pods) * 10) / 10 });
    // payments (azure), ledger (calico), platform and mesh (cilium) are enabled; analytics (none) and web (absent) are not.
    // Allow-any rules in production: payments' (B), analytics' (A) and ledger's Calico one (B).
    expect(report.groups[0]).toMatchObject({ key: "all", clusters: 6, clustersEnabled: 4, percentEnabled: 66.7, openFindings: 2, mttrHours: null, allowAnyRulesProduction: 3 });

    const byOwner = await runCli(["kpis", "--as-of", "2026-03-02T00:00:00Z", "--by", "owner", "--json"], env);
    expect(JSON.parse(byOwner.stdout).groups.map((g: { key: string }) => g.key)).toEqual(["analytics", "payments", "platform", "web"]);

    const table = await runCli(["kpis", "--as-of", "2026-03-02T00:00:00Z", "--by", "subscription"], env);
    expect(table.stdout).toMatch(/subscription .* clusters .* engine enabled/);
    expect(table.stdout).toMatch(/3f2b8c1e-5d4a-4e7b-9c6f-1a2b3c4d5e6f/);
  });

  test("a malformed clusters.json names the file, exits 2 and leaves earlier history intact", async () => {
    const before = await db.prisma.snapshot.count();
    const runsBefore = await db.prisma.collectionRun.count();
    const broken = path.join(work, "broken");
    await cp(FIXTURES, broken, { recursive: true });
    await writeFile(path.join(broken, "clusters.json"), '[\n  {"id": "/subscriptions/x",\n  oops\n]');
    const result = await runCli(["import", broken, "--as-of", "2026-03-03T06:00:00Z"], env);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(path.join(broken, "clusters.json"));
    expect(result.stderr).toMatch(/not valid JSON at line 3/);
    expect(await db.prisma.snapshot.count()).toBe(before);
    expect(await db.prisma.collectionRun.count()).toBe(runsBefore);
  });

  test("a malformed kube file is recorded on the run and that cluster keeps its previous in-cluster state", async () => {
    const partly = path.join(work, "partly");
    await cp(FIXTURES, partly, { recursive: true });
    const policies = path.join(partly, "kube", "rg-payments", "aks-payments-prod", "networkpolicies.json");
    await writeFile(policies, "{ not json");
    const result = await runCli(["import", partly, "--as-of", "2026-03-04T06:00:00Z"], env);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/errors: 1 \(malformed: 1\)/);
    expect(result.stderr).toContain(policies);
    const kpis = JSON.parse((await runCli(["kpis", "--as-of", "2026-03-05T00:00:00Z", "--json"], env)).stdout);
    // The payments cluster's allow-any rule is still counted from its last good objects.
    expect(kpis.groups[0]).toMatchObject({ clusters: 6, allowAnyRulesProduction: 3 });
  });

  test("bad arguments get a message naming the option and exit 2", async () => {
    const badDate = await runCli(["kpis", "--as-of", "yesterday"], env);
    expect(badDate.code).toBe(2);
    expect(badDate.stderr).toMatch(/--as-of.*"yesterday" is not an ISO 8601 date/);
    const badBy = await runCli(["kpis", "--by", "team"], env);
    expect(badBy.code).toBe(2);
    expect(badBy.stderr).toMatch(/--by.*team.*Allowed choices are subscription, owner/);
    const older = await runCli(["import", FIXTURES, "--as-of", "2026-01-01T00:00:00Z"], env);
    expect(older.code).toBe(2);
    expect(older.stderr).toMatch(/before the latest completed run/);
    const badEnv = await runCli(["kpis"], { ...env, BULKHEAD_AZURE_CREDENTIAL: "client-secret", AZURE_TENANT_ID: "" });
    expect(badEnv.code).toBe(2);
    expect(badEnv.stderr).toMatch(/AZURE_TENANT_ID: is required when BULKHEAD_AZURE_CREDENTIAL=client-secret/);
  });
});

describe("bulkhead demo", () => {
  test("fills a store with deterministic history; the same seed gives the same KPIs; a non-empty store is refused", async () => {
    const demoDb = await createTestDatabase();
    const otherDb = await createTestDatabase();
    try {
      const args = ["demo", "--clusters", "30", "--days", "20", "--seed", "7"];
      const first = await runCli(args, { DATABASE_URL: demoDb.url });
      expect(first.code).toBe(0);
      expect(first.stderr).toMatch(/Demo estate recorded: 20 daily runs/);
      const second = await runCli(args, { DATABASE_URL: otherDb.url });
      expect(second.code).toBe(0);
      const kpis = async (url: string) => JSON.parse((await runCli(["kpis", "--by", "owner", "--json"], { DATABASE_URL: url })).stdout).groups;
      const groups = await kpis(demoDb.url);
      expect(groups.length).toBeGreaterThan(3);
      expect(await kpis(otherDb.url)).toEqual(groups);
      const again = await runCli(args, { DATABASE_URL: demoDb.url });
      expect(again.code).toBe(2);
      expect(again.stderr).toMatch(/already holds collection runs/);
    } finally {
      await demoDb.close();
      await otherDb.close();
    }
  });
});
