import { beforeAll, describe, expect, test } from "vitest";
import { runCollection } from "@/lib/collector/run-collection";
import { DEFAULT_POSTURE_CONFIG } from "@/lib/posture";
import { callRoute, signInAs } from "@/testing/auth-session";
import { at, makeCluster, makeInCluster, scriptedSource, SUB_A } from "@/testing/estate-builders";
import { setupTestDatabase } from "@/testing/setup-test-database";
import { GET as getOverview } from "../overview/route";
import { GET as getKpis } from "./route";
import { GET as getTrend } from "./trend/route";

const db = setupTestDatabase({ processWide: true });
let cookie: string;

beforeAll(async () => {
  await runCollection(db, {
    source: scriptedSource(
      { [SUB_A]: [makeCluster({ name: "p1", owner: "payments", production: true, networkPolicy: "none" }), makeCluster({ name: "s1", owner: "search" })] },
      { p1: makeInCluster({ allowAnyIngress: true }) },
    ),
    capturedAt: at("2026-06-01T06:00:00Z"),
    config: DEFAULT_POSTURE_CONFIG,
  });
  // Reading posture is for every role; the least privileged one is enough.
  cookie = await signInAs(db, "viewer");
});

type Handler = Parameters<typeof callRoute>[0];

async function call(handler: Handler, url: string, options: { anonymous?: boolean } = {}) {
  const { status, body } = await callRoute(handler, { path: url, cookie: options.anonymous ? undefined : cookie });
  return { status, body: body as Record<string, unknown> & { error?: { code: string; message: string } } };
}

test.each([
  ["/api/kpis", getKpis],
  ["/api/kpis/trend", getTrend],
  ["/api/overview", getOverview],
] as const)("%s needs a signed-in user", async (url, handler) => {
  expect(await call(handler, url, { anonymous: true })).toMatchObject({ status: 401, body: { error: { code: "unauthenticated" } } });
});

describe("GET /api/kpis", () => {
  test("the KPI report at asOf, per group, filtered", async () => {
    const { status, body } = await call(getKpis, "/api/kpis?asOf=2026-06-02T00:00:00Z&by=owner&subscription=" + SUB_A.toUpperCase());
    expect(status).toBe(200);
    expect(body).toMatchObject({ asOf: "2026-06-02T00:00:00.000Z", from: "2026-05-03T00:00:00.000Z", by: "owner" });
    expect((body.groups as { key: string; clusters: number }[]).map((g) => [g.key, g.clusters])).toEqual([["payments", 1], ["search", 1]]);
    const scoped = await call(getKpis, "/api/kpis?asOf=2026-06-02T00:00:00Z&owner=payments");
    expect(scoped.body.groups).toEqual([expect.objectContaining({ key: "all", clusters: 1, percentEnabled: 0, allowAnyRulesProduction: 1 })]);
  });
});

describe("GET /api/kpis/trend", () => {
  test("one series per group with the days of the range", async () => {
    const { status, body } = await call(getTrend, "/api/kpis/trend?range=30&by=owner&to=2026-06-02");
    expect(status).toBe(200);
    expect(body).toMatchObject({ range: 30, by: "owner", fromDay: "2026-05-04", toDay: "2026-06-02", totalGroups: 2 });
    expect((body.groups as { key: string }[]).map((g) => g.key)).toEqual(["payments", "search"]);
  });

  test("defaults: 90 days, no split, up to today", async () => {
    const { status, body } = await call(getTrend, "/api/kpis/trend");
    expect(status).toBe(200);
    expect(body).toMatchObject({ range: 90, by: "none", top: 6, toDay: new Date().toISOString().slice(0, 10) });
  });
});

describe("GET /api/overview", () => {
  test("risk, unprotected production clusters, advisories and the last run at asOf", async () => {
    const { status, body } = await call(getOverview, "/api/overview?asOf=2026-06-03T06:00:00Z&owner=payments");
    expect(status).toBe(200);
    expect(body).toMatchObject({
      asOf: "2026-06-03T06:00:00.000Z",
      risk: { byOwner: [expect.objectContaining({ key: "payments", failingClusters: 1, allowAnyRules: 1 })] },
      unprotectedProduction: { total: 1, rows: [expect.objectContaining({ name: "p1", engine: "none" })] },
      lastRun: { lastSuccessful: expect.objectContaining({ capturedAt: "2026-06-01T06:00:00.000Z", ageHours: 48, stale: true, clustersSeen: 1 }) },
    });
  });
});

describe("bad input: 400 with the one error shape, naming the parameter", () => {
  test.each([
    [getKpis, "/api/kpis?asOf=yesterday", "asOf"],
    [getKpis, "/api/kpis?asOf=2026-06-02", "asOf"],
    [getKpis, "/api/kpis?from=2026-06-03T00:00:00Z&asOf=2026-06-02T00:00:00Z", "from"],
    [getKpis, "/api/kpis?by=team", "by"],
    [getKpis, "/api/kpis?subscription=not%20a%20guid!", "subscription"],
    [getTrend, "/api/kpis/trend?range=7", "range"],
    [getTrend, "/api/kpis/trend?by=cluster", "by"],
    [getTrend, "/api/kpis/trend?top=0", "top"],
    [getTrend, "/api/kpis/trend?top=six", "top"],
    [getTrend, "/api/kpis/trend?to=2026-13-01", "to"],
    [getTrend, "/api/kpis/trend?owner=", "owner"],
    [getOverview, "/api/overview?asOf=2026-06-02T25:00:00Z", "asOf"],
    [getOverview, "/api/overview?subscription=zzz", "subscription"],
  ] as const)("%#: %s", async (handler, url, parameter) => {
    const { status, body } = await call(handler, url);
    expect(status).toBe(400);
    expect(body.error?.code).toBe("bad-request");
    expect(body.error?.message).toMatch(new RegExp(`^${parameter}: `));
  });
});
