import { beforeAll, describe, expect, test } from "vitest";
import { runCollection } from "@/lib/collector/run-collection";
import { DEFAULT_POSTURE_CONFIG } from "@/lib/posture";
import { callRoute, signInAs } from "@/testing/auth-session";
import { at, makeCluster, makeInCluster, scriptedSource, SUB_A } from "@/testing/estate-builders";
import { setupTestDatabase } from "@/testing/setup-test-database";
import { GET as getRuns } from "../runs/route";
import { GET as getRunErrors } from "../runs/[id]/errors/route";
import { GET as getCluster } from "./[id]/route";
import { GET as getTimeline } from "./[id]/timeline/route";
import { GET as listClusters } from "./route";

const db = setupTestDatabase({ processWide: true });
let clusterId: number;
let runId: number;
let cookie: string;

beforeAll(async () => {
  const run = await runCollection(db, {
    source: scriptedSource({ [SUB_A]: [makeCluster({ name: "api-1", networkPolicy: "none" })] }, { "api-1": makeInCluster({ allowAnyIngress: true }) }),
    capturedAt: at("2026-06-01T06:00:00Z"),
    config: DEFAULT_POSTURE_CONFIG,
  });
  runId = run.runId;
  clusterId = (await db.prisma.cluster.findFirstOrThrow({ where: { name: "api-1" } })).id;
  // Reading posture is for every role; the least privileged one is enough.
  cookie = await signInAs(db, "viewer");
});

type Handler = Parameters<typeof callRoute>[0];

async function call(handler: Handler, url: string, params: Record<string, string> = {}, options: { anonymous?: boolean } = {}) {
  const { status, body } = await callRoute(handler, { path: url, params, cookie: options.anonymous ? undefined : cookie });
  return { status, body: body as Record<string, unknown> & { error?: { code: string; message: string } } };
}

test.each([
  ["/api/clusters", listClusters, {}],
  ["/api/clusters/1", getCluster, { id: "1" }],
  ["/api/clusters/1/timeline", getTimeline, { id: "1" }],
  ["/api/runs", getRuns, {}],
  ["/api/runs/1/errors", getRunErrors, { id: "1" }],
] as const)("%s needs a signed-in user", async (url, handler, params) => {
  const { status, body } = await call(handler, url, { ...params }, { anonymous: true });
  expect(status).toBe(401);
  expect(body.error?.code).toBe("unauthenticated");
});

describe("GET /api/clusters", () => {
  test("answers the table page", async () => {
    const { status, body } = await call(listClusters, "/api/clusters?q=api&sort=name&dir=asc&pageSize=10&engine=disabled&failing=NP-01&production=false");
    expect(status).toBe(200);
    expect(body).toMatchObject({ total: 1, page: 1, pageSize: 10, sort: "name", dir: "asc", rows: [expect.objectContaining({ id: clusterId, name: "api-1" })] });
  });

  test.each([
    ["sort=owner_name", "sort"],
    ["dir=up", "dir"],
    ["page=0", "page"],
    ["page=two", "page"],
    ["pageSize=7", "pageSize"],
    ["engine=maybe", "engine"],
    ["failing=NP-99", "failing"],
    ["production=yes", "production"],
    ["deleted=all", "deleted"],
    ["advisory=kubenet", "advisory"],
    ["subscription=not%20a%20guid!", "subscription"],
    [`q=${"x".repeat(201)}`, "q"],
  ])("400 naming the parameter for %s", async (search, parameter) => {
    const { status, body } = await call(listClusters, `/api/clusters?${search}`);
    expect(status).toBe(400);
    expect(body.error?.code).toBe("bad-request");
    expect(body.error?.message).toMatch(new RegExp(`^${parameter}: `));
  });
});

describe("GET /api/clusters/[id] and its timeline", () => {
  test("answers the detail with remediation, and the timeline", async () => {
    const detail = await call(getCluster, `/api/clusters/${clusterId}`, { id: String(clusterId) });
    expect(detail.status).toBe(200);
    expect(detail.body).toMatchObject({ cluster: expect.objectContaining({ name: "api-1" }), remediation: expect.arrayContaining([expect.objectContaining({ controlId: "NP-01", format: "shell" })]) });
    const timeline = await call(getTimeline, `/api/clusters/${clusterId}/timeline?days=30`, { id: String(clusterId) });
    expect(timeline.status).toBe(200);
    expect(timeline.body).toMatchObject({ clusterId, days: 30 });
  });

  test("an unknown id is 404; a malformed id or range is 400 naming the parameter", async () => {
    for (const id of ["999999", "2147483648"]) {
      const { status, body } = await call(getCluster, `/api/clusters/${id}`, { id });
      expect(status).toBe(404);
      expect(body.error).toEqual({ code: "not-found", message: `cluster ${id} does not exist` });
    }
    expect((await call(getTimeline, "/api/clusters/999999/timeline", { id: "999999" })).status).toBe(404);
    for (const id of ["abc", "0", "-1", "1.5"]) {
      const { status, body } = await call(getCluster, `/api/clusters/${id}`, { id });
      expect(status).toBe(400);
      expect(body.error?.message).toMatch(/^id: must be a cluster id/);
    }
    const badRange = await call(getTimeline, `/api/clusters/${clusterId}/timeline?days=7`, { id: String(clusterId) });
    expect(badRange.status).toBe(400);
    expect(badRange.body.error?.message).toMatch(/^days: must be one of "30", "90", "180", "365"/);
  });
});

describe("GET /api/runs and /api/runs/[id]/errors", () => {
  test("answers the history and a run's errors", async () => {
    const runs = await call(getRuns, "/api/runs?pageSize=10&status=completed");
    expect(runs.status).toBe(200);
    expect(runs.body).toMatchObject({ total: 1, rows: [expect.objectContaining({ id: runId, status: "completed" })] });
    const errors = await call(getRunErrors, `/api/runs/${runId}/errors`, { id: String(runId) });
    expect(errors.status).toBe(200);
    expect(errors.body).toMatchObject({ runId, total: 0, errors: [] });
  });

  test("bad parameters are 400, an unknown run 404", async () => {
    const status = await call(getRuns, "/api/runs?status=done");
    expect(status.status).toBe(400);
    expect(status.body.error?.message).toMatch(/^status: must be one of "completed", "failed", "running"/);
    expect((await call(getRuns, "/api/runs?pageSize=1000")).body.error?.message).toMatch(/^pageSize: /);
    expect((await call(getRunErrors, "/api/runs/x/errors", { id: "x" })).status).toBe(400);
    const unknown = await call(getRunErrors, "/api/runs/4242/errors", { id: "4242" });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toEqual({ code: "not-found", message: "run 4242 does not exist" });
  });
});
