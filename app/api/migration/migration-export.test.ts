import { NextRequest } from "next/server";
import Papa from "papaparse";
import { beforeAll, expect, test } from "vitest";
import { runCollection } from "@/lib/collector/run-collection";
import { DEFAULT_POSTURE_CONFIG } from "@/lib/posture";
import { signInAs } from "@/testing/auth-session";
import { makeCluster, scriptedSource, SUB_A } from "@/testing/estate-builders";
import { setupTestDatabase } from "@/testing/setup-test-database";
import { GET as exportMigration } from "./export/route";

const db = setupTestDatabase({ processWide: true });
let cookie: string;

// Azure CNI Overlay: the Cilium dataplane's own prerequisite met, so only the Windows pool blocks npm-win.
const overlay = (cluster: Record<string, unknown>) => ({ ...cluster, networkProfile: { networkPlugin: "azure", networkPluginMode: "overlay", networkPolicy: "azure" } });

beforeAll(async () => {
  const windows = { ...overlay(makeCluster({ name: "npm-win", owner: "payments" })), agentPoolProfiles: [{ name: "sys", count: 3, osType: "Linux", mode: "System" }, { name: "win", count: 2, osType: "Windows", mode: "User" }] };
  await runCollection(db, {
    source: scriptedSource({
      [SUB_A]: [windows, overlay(makeCluster({ name: "npm-a", owner: "payments" })), overlay(makeCluster({ name: "npm-b", owner: "search" })), makeCluster({ name: "on-cilium", owner: "search", networkPolicy: "cilium" })],
    }),
    capturedAt: new Date(),
    config: DEFAULT_POSTURE_CONFIG,
  });
  cookie = await signInAs(db, "viewer");
});

async function get(path: string, withCookie = true) {
  const request = new NextRequest(`http://localhost:3000${path}`, { headers: withCookie ? { cookie } : {} });
  const response = await exportMigration(request, { params: Promise.resolve({}) });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

const names = (csv: string) => Papa.parse<string[]>(csv, { skipEmptyLines: true }).data.slice(1).map((row) => row[0]).sort();

test("the export needs a signed-in user", async () => {
  expect((await get("/api/migration/export", false)).status).toBe(401);
});

test("every NPM cluster in scope, as a CSV download named for the day; the scope and the readiness narrow it", async () => {
  const all = await get("/api/migration/export");
  expect(all.status).toBe(200);
  expect(all.headers.get("content-type")).toBe("text/csv; charset=utf-8");
  expect(all.headers.get("content-disposition")).toMatch(/^attachment; filename="bulkhead_npm-to-cilium_\d{4}-\d{2}-\d{2}\.csv"$/);
  expect(names(all.text)).toEqual(["npm-a", "npm-b", "npm-win"]);
  expect(names((await get("/api/migration/export?owner=search")).text)).toEqual(["npm-b"]);
  expect(names((await get("/api/migration/export?verdict=blocked")).text)).toEqual(["npm-win"]);
});

test("a bad readiness is refused with a message that names the parameter; nothing is exported", async () => {
  const bad = await get("/api/migration/export?verdict=maybe");
  expect(bad.status).toBe(400);
  expect(bad.text).toContain("verdict");
  expect(JSON.parse(bad.text)).toEqual({ error: { code: "bad-request", message: 'verdict: must be one of "blocked", "needs-work", "incomplete", "ready"' } });
});
