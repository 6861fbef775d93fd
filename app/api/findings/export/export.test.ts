import Papa from "papaparse";
import { NextRequest } from "next/server";
import { beforeAll, describe, expect, test } from "vitest";
import { getApiGate } from "@/lib/auth/with-auth";
import { getServerPostureConfig } from "@/lib/data/posture-config";
import { getDatabase } from "@/lib/db/client";
import { fillDemoStore } from "@/lib/demo/fill-demo-store";
import { getEnv } from "@/lib/env";
import { findingsToCsv, type FindingsExport } from "@/lib/findings/export-findings";
import { findingListParams, listFindings, listMatchingFindings, openMatchingFindings, type FindingFilters, type FindingRow } from "@/lib/findings/list-findings";
import { signInAs } from "@/testing/auth-session";
import { setupTestDatabase } from "@/testing/setup-test-database";
import { GET } from "./route";

const db = setupTestDatabase({ processWide: true });
let cookie: string;

beforeAll(async () => {
  await fillDemoStore(db, { clusters: 30, days: 40, seed: 11, config: getServerPostureConfig(), env: getEnv() });
  cookie = await signInAs(db, "security", "export.security@example.com");
}, 300_000);

function exportRequest(search: string) {
  return GET(new NextRequest(`http://localhost:3000/api/findings/export${search}`, { headers: { cookie } }), { params: Promise.resolve({}) });
}

async function drain(batches: AsyncIterable<FindingRow[]>): Promise<FindingRow[]> {
  const rows: FindingRow[] = [];
  for await (const batch of batches) rows.push(...batch);
  return rows;
}

/** Pool connections handed out and not yet given back (the process-wide database the routes use). */
async function connectionsInUse(): Promise<number> {
  const pool = (await getDatabase()).pool;
  return pool.totalCount - pool.idleCount;
}

const LISTS: (FindingFilters & { sort?: "severity" | "due" | "cluster" | "owner"; dir?: "asc" | "desc" })[] = [
  { status: "active" },
  { status: "all", sort: "cluster", dir: "desc" },
  { status: "resolved", sort: "owner" },
  { status: "overdue", severity: ["high", "critical"], sort: "severity", dir: "desc" },
  { status: "active", q: "prod" },
];

describe("the findings export reads one statement through a cursor", () => {
  test("in batches, it is the list exactly: same findings, same order, same fields", async () => {
    const now = new Date();
    for (const list of LISTS) {
      const whole = await listMatchingFindings(db, list, { now, limit: 100_000 });
      const cursor = await openMatchingFindings(db, list, { now, limit: 100_000, batch: 7 });
      expect(cursor.total, JSON.stringify(list)).toBe(whole.total);
      expect(await drain(cursor.batches), JSON.stringify(list)).toEqual(whole.rows);
    }
    expect((await listMatchingFindings(db, { status: "all" }, { now, limit: 100_000 })).total).toBeGreaterThan(50);
  });

  test("the Findings page's total, taken from its tab counts, is the number of matches for every status and filter", async () => {
    const now = new Date();
    for (const status of ["active", "open", "overdue", "waived", "resolved", "all"] as const) {
      for (const filters of [{}, { severity: ["high" as const] }, { q: "prod" }, { sla: "breached" as const }]) {
        const page = await listFindings(db, findingListParams.parse({ status, ...filters, severity: filters.severity?.join(",") }), now);
        const every = await listMatchingFindings(db, { status, ...filters }, { now, limit: 100_000 });
        expect(page.total, `${status} ${JSON.stringify(filters)}`).toBe(every.total);
        expect(page.rows.map((row) => row.id)).toEqual(every.rows.slice(0, 50).map((row) => row.id));
      }
    }
  });

  test("past its limit it reads no more, and still counts every match", async () => {
    const now = new Date();
    const all = await listMatchingFindings(db, { status: "all" }, { now, limit: 100_000 });
    const cursor = await openMatchingFindings(db, { status: "all" }, { now, limit: 10, batch: 4 });
    expect(cursor.total).toBe(all.total);
    expect((await drain(cursor.batches)).map((row) => row.id)).toEqual(all.rows.slice(0, 10).map((row) => row.id));
  });

  test("the route's CSV and JSON are the list's, and the download holds its slot and connection until it is sent", async () => {
    const gate = getApiGate();
    const idle = await connectionsInUse();
    const csvResponse = await exportRequest("?status=all&sort=cluster&dir=desc");
    expect(csvResponse.status).toBe(200);
    expect(csvResponse.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    // The handler has returned; the download has not been read: its slot and cursor are held.
    expect(gate.stats().active).toBe(1);
    expect(await connectionsInUse()).toBe(idle + 1);
    const csv = await csvResponse.text();
    expect(gate.stats().active).toBe(0);
    expect(await connectionsInUse()).toBe(idle);
    const listed = await listMatchingFindings(db, { status: "all", sort: "cluster", dir: "desc" }, { limit: 100_000 });
    expect(csv).toBe(findingsToCsv(listed.rows));
    expect(Papa.parse(csv, { header: true, skipEmptyLines: true }).data).toHaveLength(listed.total);

    const jsonResponse = await exportRequest("?status=overdue&severity=high&format=json");
    const json = (await jsonResponse.json()) as FindingsExport;
    const overdue = await listMatchingFindings(db, { status: "overdue", severity: ["high"] }, { limit: 100_000 });
    expect(json).toMatchObject({ count: overdue.total, generatedBy: "export.security@example.com", filters: { status: "overdue", severity: "high" } });
    expect(json.findings).toEqual(overdue.rows);
    expect(gate.stats().active).toBe(0);
  });

  test("a client that goes away part way gives back the slot and the connection", async () => {
    const idle = await connectionsInUse();
    const response = await exportRequest("?status=all");
    const reader = response.body!.getReader();
    await reader.read();
    await reader.cancel();
    await expect.poll(() => getApiGate().stats().active).toBe(0);
    await expect.poll(connectionsInUse).toBe(idle);
  });

  test("a bad filter is a 400 naming it, before any byte, and holds nothing", async () => {
    const response = await exportRequest("?severity=urgent");
    expect(response.status).toBe(400);
    expect(JSON.stringify(await response.json())).toContain("severity");
    expect(getApiGate().stats().active).toBe(0);
  });
});
