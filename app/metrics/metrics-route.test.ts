// /healthz, /readyz and /metrics as a scraper and an orchestrator meet them: over HTTP, through the
// production request front, without a session, on a real store. The KPI gauges must carry exactly
// the numbers `bulkhead kpis --json` prints.
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { runCollection } from "@/lib/collector/run-collection";
import { DEFAULT_POSTURE_CONFIG } from "@/lib/posture";
import { makeCluster, makeInCluster, scriptedSource, SUB_A, SUB_B } from "@/testing/estate-builders";
import { parsePrometheusText, sampleValue, type PrometheusSample } from "@/testing/prometheus-text";
import { serveRoutes, type RouteServer } from "@/testing/route-server";
import { runCli } from "@/testing/run-cli";
import { setupTestDatabase } from "@/testing/setup-test-database";
import * as healthz from "../healthz/route";
import * as readyz from "../readyz/route";
import * as metrics from "./route";

const TOKEN = vi.hoisted(() => {
  const token = "test-metrics-token-0123456789abcdefghijklmnop";
  process.env.BULKHEAD_METRICS_TOKEN = token;
  return token;
});

const db = setupTestDatabase({ processWide: true });
let server: RouteServer;

const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3_600_000);

beforeAll(async () => {
  const source = (paymentsEngine: string) =>
    scriptedSource(
      {
        [SUB_A]: [
          makeCluster({ name: "payments-prod", owner: "payments", production: true, networkPolicy: paymentsEngine }),
          makeCluster({ name: "search-prod", owner: "search", production: true }),
        ],
        [SUB_B]: [makeCluster({ subscription: SUB_B, name: "batch-dev", owner: "payments", production: false, networkPolicy: "none" }), makeCluster({ subscription: SUB_B, name: "untagged" })],
      },
      { "search-prod": makeInCluster({ allowAnyIngress: true }), "payments-prod": makeInCluster(), "batch-dev": { cause: "unreachable", message: "connect ETIMEDOUT" } },
    );
  // Two days ago payments-prod had no engine; 30 hours later it had: one NP-01 finding resolved, MTTR 30 h.
  await runCollection(db, { source: source("none"), capturedAt: hoursAgo(48), config: DEFAULT_POSTURE_CONFIG });
  await runCollection(db, { source: source("cilium"), capturedAt: hoursAgo(18), config: DEFAULT_POSTURE_CONFIG });
  server = await serveRoutes({ "/healthz": healthz, "/readyz": readyz, "/metrics": metrics });
});

afterAll(() => server?.close());

async function scrape(): Promise<PrometheusSample[]> {
  const response = await fetch(`${server.url}/metrics`, { headers: { Authorization: `Bearer ${TOKEN}` } });
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
  return parsePrometheusText(await response.text());
}

describe("health", () => {
  test("/healthz answers 200 without a session or a database question", async () => {
    const response = await fetch(`${server.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok" });
    expect(response.headers.get("cache-control")).toBe("no-store");
  });

  test("/readyz answers 200 when the database answers and every migration is applied, and says nothing else", async () => {
    const response = await fetch(`${server.url}/readyz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ready" });
  });

  test("/readyz answers 503 while a migration of this version is not applied (a database restored from before it)", async () => {
    const latest = await db.pool.query<{ name: string }>("SELECT migration_name AS name FROM _prisma_migrations ORDER BY migration_name DESC LIMIT 1");
    await db.pool.query("UPDATE _prisma_migrations SET finished_at = NULL WHERE migration_name = $1", [latest.rows[0].name]);
    try {
      const response = await fetch(`${server.url}/readyz`);
      expect(response.status).toBe(503);
      expect(await response.json()).toEqual({ status: "migrating" });
    } finally {
      await db.pool.query("UPDATE _prisma_migrations SET finished_at = now() WHERE migration_name = $1", [latest.rows[0].name]);
    }
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
  });
});

describe("request ids", () => {
  test("a well-formed X-Request-Id is echoed; a missing or malformed one is replaced by a generated one", async () => {
    const echoed = await fetch(`${server.url}/healthz`, { headers: { "X-Request-Id": "ingress-7f3a:42" } });
    expect(echoed.headers.get("x-request-id")).toBe("ingress-7f3a:42");
    const generated = await fetch(`${server.url}/healthz`);
    expect(generated.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    const forged = await fetch(`${server.url}/healthz`, { headers: { "X-Request-Id": `two words ${"x".repeat(300)}` } });
    expect(forged.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe("/metrics access", () => {
  test.each([
    ["no Authorization header", undefined],
    ["a wrong token", `Bearer ${TOKEN.slice(0, -1)}x`],
    ["the token as Basic credentials", `Basic ${TOKEN}`],
    ["the token with a suffix", `Bearer ${TOKEN}extra`],
    ["the token alone, without the Bearer scheme", TOKEN],
  ])("%s is refused with 401 and a Bearer challenge", async (_, authorization) => {
    const response = await fetch(`${server.url}/metrics`, { headers: authorization ? { Authorization: authorization } : {} });
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toBe('Bearer realm="bulkhead-metrics"');
    expect(await response.text()).not.toContain("bulkhead_");
  });

  test("without BULKHEAD_METRICS_TOKEN the endpoint does not exist (404), whatever the request presents", async () => {
    vi.resetModules();
    const saved = process.env.BULKHEAD_METRICS_TOKEN;
    delete process.env.BULKHEAD_METRICS_TOKEN;
    try {
      const fresh = await import("./route");
      const response = await fresh.GET(new NextRequest("http://127.0.0.1/metrics", { headers: { Authorization: `Bearer ${TOKEN}` } }));
      expect(response.status).toBe(404);
    } finally {
      process.env.BULKHEAD_METRICS_TOKEN = saved;
    }
  });
});

describe("/metrics content", () => {
  const FIELDS = [
    ["clusters", "bulkhead_kpi_clusters"],
    ["clustersEnabled", "bulkhead_kpi_clusters_enabled"],
    ["percentEnabled", "bulkhead_kpi_percent_enabled"],
    ["mttrHours", "bulkhead_kpi_mttr_hours"],
    ["mttrMedianHours", "bulkhead_kpi_mttr_median_hours"],
    ["resolvedFindings", "bulkhead_kpi_resolved_findings"],
    ["openFindings", "bulkhead_kpi_open_findings"],
    ["allowAnyRulesProduction", "bulkhead_kpi_allow_any_rules_production"],
    ["controlsPassed", "bulkhead_kpi_controls_passed"],
    ["controlsFailed", "bulkhead_kpi_controls_failed"],
    ["auditPassRate", "bulkhead_kpi_audit_pass_rate"],
    ["lateralExposure", "bulkhead_kpi_lateral_exposure"],
    ["clustersWithExposure", "bulkhead_kpi_clusters_with_exposure"],
    ["spendAtRiskShare", "bulkhead_kpi_spend_at_risk_share"],
    ["spendWeightedPassRate", "bulkhead_kpi_spend_weighted_pass_rate"],
    ["clustersWithCost", "bulkhead_kpi_clusters_with_cost"],
  ] as const;

  test.each(["all", "subscription", "owner"] as const)("the KPI gauges by %s equal `bulkhead kpis --json`", async (by) => {
    const cli = await runCli(["kpis", "--json", ...(by === "all" ? [] : ["--by", by])], { DATABASE_URL: db.url });
    expect(cli.stderr).toBe("");
    expect(cli.code).toBe(0);
    const report = JSON.parse(cli.stdout) as { groups: (Record<(typeof FIELDS)[number][0], number | null> & { key: string })[] };
    const samples = await scrape();
    expect(report.groups.length).toBeGreaterThan(by === "all" ? 0 : 1);
    for (const group of report.groups) {
      for (const [field, name] of FIELDS) {
        // A KPI without a value (no resolved finding: no MTTR) has no sample rather than a made-up 0.
        expect({ by, key: group.key, name, value: sampleValue(samples, name, { by, key: group.key }) }).toEqual({ by, key: group.key, name, value: group[field] ?? undefined });
      }
    }
    // No group the CLI does not print.
    const keys = new Set(samples.filter((s) => s.name === "bulkhead_kpi_clusters" && s.labels.by === by).map((s) => s.labels.key));
    expect([...keys].sort()).toEqual(report.groups.map((g) => g.key).sort());
    if (by === "all") expect(sampleValue(samples, "bulkhead_kpi_mttr_hours", { by, key: "all" })).toBe(30);
  });

  test("the runs: counts by status, the last run's duration and outcome, its errors by cause", async () => {
    const samples = await scrape();
    expect(sampleValue(samples, "bulkhead_store_up")).toBe(1);
    expect(sampleValue(samples, "bulkhead_runs", { status: "completed" })).toBe(2);
    expect(sampleValue(samples, "bulkhead_runs", { status: "failed" })).toBe(0);
    const duration = sampleValue(samples, "bulkhead_last_run_duration_seconds", { status: "completed", source: "files" });
    expect(duration).toBeGreaterThanOrEqual(0);
    expect(duration).toBeLessThan(120);
    const runs = await db.pool.query<{ started: Date; finished: Date }>("SELECT started_at AS started, finished_at AS finished FROM collection_runs ORDER BY id DESC LIMIT 1");
    expect(duration).toBeCloseTo((runs.rows[0].finished.getTime() - runs.rows[0].started.getTime()) / 1000, 3);
    expect(sampleValue(samples, "bulkhead_last_completed_run_timestamp_seconds")).toBeCloseTo(runs.rows[0].finished.getTime() / 1000, 3);
    // batch-dev's API server was unreachable in the last run; every other cause is there at 0.
    expect(sampleValue(samples, "bulkhead_last_run_errors", { cause: "unreachable" })).toBe(1);
    expect(sampleValue(samples, "bulkhead_last_run_errors", { cause: "forbidden" })).toBe(0);
  });

  test("HTTP latency per method, route and status, with ids folded into the route", async () => {
    await fetch(`${server.url}/healthz`);
    await fetch(`${server.url}/no/such/page-123`);
    const samples = await scrape();
    expect(sampleValue(samples, "bulkhead_http_request_duration_seconds_count", { method: "GET", route: "/healthz", status: "200" })).toBeGreaterThanOrEqual(1);
    expect(sampleValue(samples, "bulkhead_http_request_duration_seconds_count", { method: "GET", route: "(unmatched)", status: "404" })).toBeGreaterThanOrEqual(1);
    expect(samples.some((s) => s.name === "bulkhead_process_resident_memory_bytes")).toBe(true);
  });
});
