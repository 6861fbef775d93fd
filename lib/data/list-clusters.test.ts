import { beforeAll, describe, expect, test } from "vitest";
import { runCollection } from "@/lib/collector/run-collection";
import { CONTROL_IDS, DEFAULT_POSTURE_CONFIG } from "@/lib/posture";
import { at, makeCluster, makeInCluster, scriptedSource, SUB_A, SUB_B, type InClusterSpec } from "@/testing/estate-builders";
import { setupTestDatabase } from "@/testing/setup-test-database";
import { listClusters } from "./list-clusters";

const db = setupTestDatabase();

// Twelve clusters in two subscriptions: engines, owners, environments and in-cluster data vary.
const subA = [
  makeCluster({ name: "alpha-prod", owner: "payments", production: true, networkPolicy: "cilium" }),
  makeCluster({ name: "bravo-prod", owner: "payments", production: true, networkPolicy: "none" }),
  makeCluster({ name: "charlie-dev", owner: "search", production: false, networkPolicy: "calico" }),
  makeCluster({ name: "delta-dev", owner: "search", production: false, networkPolicy: "azure", resourceGroup: "rg-special" }),
  makeCluster({ name: "echo_100%", owner: "platform", networkPolicy: "azure" }),
  makeCluster({ name: "foxtrot", networkPolicy: "azure" }),
  makeCluster({ name: "golf", owner: "platform", networkPolicy: "kube-router" }),
];
const subB = [
  makeCluster({ subscription: SUB_B, name: "hotel-prod", owner: "risk", production: true, networkPolicy: "azure" }),
  makeCluster({ subscription: SUB_B, name: "india", owner: "risk", networkPolicy: "azure" }),
  makeCluster({ subscription: SUB_B, name: "juliet", owner: "risk", networkPolicy: "none" }),
  makeCluster({ subscription: SUB_B, name: "kilo", owner: "Risk", networkPolicy: "azure" }),
  makeCluster({ subscription: SUB_B, name: "lima", owner: "risk", networkPolicy: "azure" }),
];
const inCluster: Record<string, InClusterSpec> = {
  "alpha-prod": makeInCluster(),
  "bravo-prod": makeInCluster({ allowAnyIngress: true }),
  "charlie-dev": makeInCluster({ allowAnyIngress: true }),
  "delta-dev": makeInCluster({ defaultDeny: false }),
  "hotel-prod": makeInCluster(),
  india: makeInCluster(),
  juliet: makeInCluster(),
  kilo: makeInCluster(),
  lima: makeInCluster(),
  "echo_100%": makeInCluster(),
};
const gone = makeCluster({ subscription: SUB_B, name: "zulu-gone", owner: "risk", networkPolicy: "none" });

beforeAll(async () => {
  const collect = (listings: Parameters<typeof scriptedSource>[0], capturedAt: string) =>
    runCollection(db, { source: scriptedSource(listings, inCluster), capturedAt: at(capturedAt), config: DEFAULT_POSTURE_CONFIG });
  await collect({ [SUB_A]: subA, [SUB_B]: [...subB, gone] }, "2026-03-01T06:00:00Z");
  await collect({ [SUB_A]: subA, [SUB_B]: subB }, "2026-03-02T06:00:00Z"); // zulu-gone is deleted
});

const names = (result: Awaited<ReturnType<typeof listClusters>>) => result.rows.map((row) => row.name);

describe("listClusters: sorting", () => {
  test("by default the clusters failing most controls come first, ties by name", async () => {
    const result = await listClusters(db, { pageSize: 100 });
    expect(result.sort).toBe("failed");
    expect(result.dir).toBe("desc");
    const failed = result.rows.map((row) => row.controlsFailed);
    expect(failed).toEqual([...failed].sort((a, b) => b - a));
    expect(result.rows[0].controlsFailed).toBeGreaterThan(result.rows[result.rows.length - 1].controlsFailed);
  });

  test("by name, both ways; a sort key alone takes its natural direction", async () => {
    const asc = await listClusters(db, { sort: "name", pageSize: 100 });
    expect(asc.dir).toBe("asc");
    expect(names(asc)).toEqual(["alpha-prod", "bravo-prod", "charlie-dev", "delta-dev", "echo_100%", "foxtrot", "golf", "hotel-prod", "india", "juliet", "kilo", "lima"]);
    const desc = await listClusters(db, { sort: "name", dir: "desc", pageSize: 100 });
    expect(names(desc)).toEqual([...names(asc)].reverse());
  });

  test("by allow-any rules, by engine and by subscription", async () => {
    const allowAny = await listClusters(db, { sort: "allowAny", pageSize: 3 });
    expect(allowAny.dir).toBe("desc");
    expect(names(allowAny).slice(0, 2)).toEqual(["bravo-prod", "charlie-dev"]);
    const engine = await listClusters(db, { sort: "engine", dir: "asc", pageSize: 100 });
    // Not enabled first (none, unknown:kube-router), then the enabled engines by name.
    expect(engine.rows.slice(0, 3).every((row) => !row.engineEnabled)).toBe(true);
    expect(engine.rows[3].engine).toBe("azure");
    const bySubscription = await listClusters(db, { sort: "subscription", pageSize: 100 });
    expect(bySubscription.rows.slice(0, 7).every((row) => row.subscriptionId === SUB_A)).toBe(true);
  });
});

describe("listClusters: search and filters", () => {
  test("search matches name, resource group and owner, case-insensitively", async () => {
    expect(names(await listClusters(db, { q: "PROD", sort: "name" }))).toEqual(["alpha-prod", "bravo-prod", "hotel-prod"]);
    expect(names(await listClusters(db, { q: "rg-special" }))).toEqual(["delta-dev"]);
    expect(names(await listClusters(db, { q: "platform", sort: "name" }))).toEqual(["echo_100%", "golf"]);
  });

  test("% and _ in a search are characters, not wildcards", async () => {
    expect(names(await listClusters(db, { q: "100%" }))).toEqual(["echo_100%"]);
    expect(names(await listClusters(db, { q: "o_1" }))).toEqual(["echo_100%"]);
    expect((await listClusters(db, { q: "%%" })).total).toBe(0);
  });

  test("engine, failing control, production, subscription and owner filters combine", async () => {
    expect(names(await listClusters(db, { engine: "disabled", sort: "name" }))).toEqual(["bravo-prod", "golf", "juliet"]);
    expect((await listClusters(db, { engine: "enabled" })).total).toBe(9);
    expect(names(await listClusters(db, { failing: "NP-06", sort: "name" }))).toEqual(["bravo-prod", "charlie-dev"]);
    expect(names(await listClusters(db, { failing: "NP-01", sort: "name" }))).toEqual(["bravo-prod", "golf", "juliet"]);
    expect(names(await listClusters(db, { production: true, sort: "name" }))).toEqual(["alpha-prod", "bravo-prod", "hotel-prod"]);
    expect((await listClusters(db, { subscription: SUB_B.toUpperCase() })).total).toBe(5);
    expect(names(await listClusters(db, { owner: "risk", sort: "name" }))).toEqual(["hotel-prod", "india", "juliet", "lima"]);
    expect(names(await listClusters(db, { owner: "risk", engine: "enabled", production: false, sort: "name" }))).toEqual(["india", "lima"]);
    const none = await listClusters(db, { failing: "none" });
    expect(none.rows.every((row) => row.controlsFailed === 0)).toBe(true);
  });

  test("the advisory filter keeps clusters whose latest snapshot raises it", async () => {
    // NetworkPolicies with no engine to enforce them: bravo-prod and juliet (golf has none to enforce).
    expect(names(await listClusters(db, { advisory: "policies-not-enforced", sort: "name" }))).toEqual(["bravo-prod", "juliet"]);
    expect(names(await listClusters(db, { advisory: "policies-not-enforced", owner: "risk" }))).toEqual(["juliet"]);
    expect((await listClusters(db, { advisory: "kubenet-retirement" })).total).toBe(0);
  });

  test("deleted clusters are hidden unless asked for", async () => {
    expect(names(await listClusters(db, { q: "zulu" }))).toEqual([]);
    const included = await listClusters(db, { deleted: "include", pageSize: 100 });
    expect(included.total).toBe(13);
    const only = await listClusters(db, { deleted: "only" });
    expect(only.rows).toEqual([expect.objectContaining({ name: "zulu-gone", deletedAt: "2026-03-02T06:00:00.000Z", lastSeenAt: "2026-03-01T06:00:00.000Z" })]);
  });

  test("the summary counts every matching cluster, not only the page", async () => {
    const result = await listClusters(db, { pageSize: 10 });
    expect(result.rows).toHaveLength(10);
    expect(result.summary).toEqual({
      clusters: 12,
      engineEnabled: 9,
      failing: expect.any(Number),
      allowAnyRules: 2,
      production: 3,
      withoutInCluster: 2, // foxtrot and golf were never read
    });
    const filtered = await listClusters(db, { subscription: SUB_A, production: true });
    expect(filtered.summary).toMatchObject({ clusters: 2, engineEnabled: 1, allowAnyRules: 1, production: 2 });
  });

  test("rows carry statuses, in-cluster state and the subscription's name", async () => {
    const [golf] = (await listClusters(db, { q: "golf" })).rows;
    expect(golf).toMatchObject({ engine: "unknown:kube-router", engineEnabled: false, inCluster: "none", owner: "platform" });
    expect(golf.statuses.map((item) => item.id)).toEqual(CONTROL_IDS);
    expect(golf.statuses[0].status).toBe("fail");
    expect(golf.controlsPassed + golf.controlsFailed + golf.controlsNa).toBe(7);
    const [alpha] = (await listClusters(db, { q: "alpha" })).rows;
    expect(alpha).toMatchObject({ inCluster: "read", inClusterCapturedAt: null, controlsFailed: 0, snapshotAt: "2026-03-02T06:00:00.000Z" });
  });
});

describe("listClusters: paging", () => {
  test("pages cover the result without overlap", async () => {
    const first = await listClusters(db, { sort: "name", pageSize: 10, page: 1 });
    const second = await listClusters(db, { sort: "name", pageSize: 10, page: 2 });
    expect(first).toMatchObject({ total: 12, page: 1, pageCount: 2, pageSize: 10 });
    expect(second.rows).toHaveLength(2);
    expect(new Set([...names(first), ...names(second)]).size).toBe(12);
  });

  test("a page past the end serves the last page; an empty result has one empty page", async () => {
    const beyond = await listClusters(db, { sort: "name", pageSize: 10, page: 99 });
    expect(beyond.page).toBe(2);
    expect(names(beyond)).toEqual(["kilo", "lima"]);
    const empty = await listClusters(db, { q: "no such cluster", page: 3 });
    expect(empty).toMatchObject({ total: 0, page: 1, pageCount: 1, rows: [] });
  });
});
