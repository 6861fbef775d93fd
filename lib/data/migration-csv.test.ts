import Papa from "papaparse";
import { expect, test } from "vitest";
import type { MigrationCluster } from "@/lib/data/get-migration-view";
import { assessReadiness } from "@/lib/migration/readiness";
import { migrationCsv } from "./migration-csv";

const readiness = assessReadiness(
  {
    id: "/subscriptions/s/resourceGroups/rg-x/providers/Microsoft.ContainerService/managedClusters=cmd|' /C calc'!A0",
    name: "=cmd|' /C calc'!A0",
    resourceGroup: "rg-x",
    kubernetesVersion: "1.30.0",
    networkProfile: { networkPlugin: "kubenet", networkPolicy: "azure" },
    agentPoolProfiles: [{ name: "win", count: 2, osType: "Windows" }],
  },
  null,
);
const cluster: MigrationCluster = { ...readiness, id: 7, name: "=cmd|' /C calc'!A0", owner: "+team", subscriptionId: "sub-1", subscriptionName: "Payments", resourceGroup: "rg-x", capturedAt: "2026-12-07T02:00:00.000Z", daysLeft: -68 };

test("one row per NPM cluster with deadline, readiness, findings by status and the commands; cells that spreadsheets would run are neutralised", () => {
  const rows = Papa.parse<string[]>(migrationCsv([cluster])).data;
  expect(rows[0]).toEqual(["Cluster", "Owner", "Subscription", "Resource group", "Nodes", "Windows node pools", "Deadline (UTC)", "Days left", "Readiness", "Blockers", "Warnings", "Not checked", "Commands", "Data from (UTC)"]);
  const row = rows[1];
  expect(row[0].startsWith("=")).toBe(false);
  expect(row[1].startsWith("+")).toBe(false);
  expect(row.slice(2, 10)).toEqual(["Payments", "rg-x", "2", "win", "2026-09-30", "-68", "Blocked", "Network plugin (1 found); Windows node pools (1 found)"]);
  expect(row[11]).toContain("endPort port ranges");
  expect(row[12].split("\n")).toContain("az aks update --resource-group rg-x --name =cmd|' /C calc'!A0 --network-dataplane cilium");
});
