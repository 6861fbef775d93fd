import { beforeAll, describe, expect, test } from "vitest";
import { runCollection } from "@/lib/collector/run-collection";
import type { ComplianceSummary, RequirementEvidence } from "@/lib/compliance/get-compliance-view";
import { DEFAULT_POSTURE_CONFIG } from "@/lib/posture";
import { callRoute, signInAs } from "@/testing/auth-session";
import { at, makeCluster, makeInCluster, scriptedSource, SUB_A } from "@/testing/estate-builders";
import { setupTestDatabase } from "@/testing/setup-test-database";
import { GET as getEvidence } from "./evidence/route";
import { GET as getCompliance } from "./route";

const db = setupTestDatabase({ processWide: true });
let cookie: string;
const DAY = "2026-06-01";

beforeAll(async () => {
  // Three production clusters that fail the network controls and one that passes most of them.
  const failing = ["p1", "p2", "p3"].map((name) => makeCluster({ name, owner: "payments", production: true, networkPolicy: "none" }));
  await runCollection(db, {
    source: scriptedSource({ [SUB_A]: [...failing, makeCluster({ name: "s1", owner: "search" })] }, { p1: makeInCluster({ allowAnyIngress: true }) }),
    capturedAt: at(`${DAY}T06:00:00Z`),
    config: DEFAULT_POSTURE_CONFIG,
  });
  // Reading posture is for every role; the least privileged one is enough.
  cookie = await signInAs(db, "viewer");
});

type Handler = Parameters<typeof callRoute>[0];

async function call<T>(handler: Handler, url: string, options: { anonymous?: boolean } = {}) {
  const { status, body } = await callRoute(handler, { path: url, cookie: options.anonymous ? undefined : cookie });
  return { status, body: body as T & { error?: { code: string; message: string } } };
}

test.each([
  ["/api/compliance?framework=pci-dss", getCompliance],
  ["/api/compliance/evidence?framework=pci-dss&requirement=1.3.1&list=fail", getEvidence],
] as const)("%s needs a signed-in user", async (url, handler) => {
  expect(await call(handler, url, { anonymous: true })).toMatchObject({ status: 401, body: { error: { code: "unauthenticated" } } });
});

describe("GET /api/compliance", () => {
  test("the figures and each requirement's counts, without the clusters' evidence", async () => {
    const { status, body } = await call<ComplianceSummary>(getCompliance, `/api/compliance?framework=pci-dss&asOf=${DAY}`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ day: DAY, totals: { clusters: 4 } });
    expect(body.requirements.length).toBeGreaterThan(0);
    for (const requirement of body.requirements) {
      expect(requirement.passing + requirement.failing + requirement.waived + requirement.notApplicable).toBe(4);
      expect(requirement).not.toHaveProperty("clusters");
    }
  });
});

describe("GET /api/compliance/evidence", () => {
  test("one requirement's clusters with one outcome, production failures first, with each control's reason; limit cuts the list", async () => {
    const summary = (await call<ComplianceSummary>(getCompliance, `/api/compliance?framework=pci-dss&asOf=${DAY}`)).body;
    const requirement = summary.requirements.find((item) => item.failing >= 3)!;
    expect(requirement).toBeDefined();
    const all = await call<RequirementEvidence>(getEvidence, `/api/compliance/evidence?framework=pci-dss&asOf=${DAY}&requirement=${requirement.id}&list=fail`);
    expect(all.status).toBe(200);
    expect(all.body).toMatchObject({ requirement: requirement.id, list: "fail", listed: requirement.failing });
    expect(all.body.clusters).toHaveLength(requirement.failing);
    expect(all.body.clusters.map((cluster) => cluster.name).slice(0, 3)).toEqual(["p1", "p2", "p3"]);
    for (const cluster of all.body.clusters) {
      expect(cluster.controls.map((control) => control.id)).toEqual(requirement.controls.filter((id) => cluster.controls.some((control) => control.id === id)));
      expect(cluster.controls.some((control) => control.outcome === "fail" && control.reason.length > 0)).toBe(true);
    }
    const first = await call<RequirementEvidence>(getEvidence, `/api/compliance/evidence?framework=pci-dss&asOf=${DAY}&requirement=${requirement.id}&list=fail&limit=2`);
    expect(first.body).toEqual({ ...all.body, clusters: all.body.clusters.slice(0, 2) });
  });

  test.each([
    ["requirement=9.9.9&list=fail", /^requirement: pci-dss has no requirement "9\.9\.9"; it has 1\.2\.5, 1\.3\.1, 1\.3\.2, 1\.4\.1, 1\.4\.2$/],
    ["requirement=1.3.1&list=broken", /^list: must be fail, waived, pass, na/],
    ["requirement=1.3.1&list=fail&limit=0", /^limit: must be a whole number from 1 to 100/],
    ["requirement=1.3.1&list=fail&limit=101", /^limit: must be a whole number from 1 to 100/],
    ["list=fail", /^requirement: must be a requirement id/],
  ])("%s: 400 naming the parameter", async (query, message) => {
    const { status, body } = await call(getEvidence, `/api/compliance/evidence?framework=pci-dss&asOf=${DAY}&${query}`);
    expect(status).toBe(400);
    expect(body.error?.code).toBe("bad-request");
    expect(body.error?.message).toMatch(message);
  });
});
