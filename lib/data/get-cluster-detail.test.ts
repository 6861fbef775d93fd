import { describe, expect, test } from "vitest";
import { runCollection } from "@/lib/collector/run-collection";
import { createWaiver } from "@/lib/db/waivers";
import { DEFAULT_POSTURE_CONFIG } from "@/lib/posture";
import type { PostureSource } from "@/lib/sources/source";
import { at, makeCluster, makeInCluster, scriptedSource, SUB_A, SUB_B } from "@/testing/estate-builders";
import { setupTestDatabase } from "@/testing/setup-test-database";
import { getClusterDetail } from "./get-cluster-detail";
import { getClusterTimeline } from "./get-cluster-timeline";

const db = setupTestDatabase({ resetBeforeEach: true });

const config = DEFAULT_POSTURE_CONFIG;
const collect = (source: PostureSource, capturedAt: string) => runCollection(db, { source, capturedAt: at(capturedAt), config });
const idOf = async (name: string) => (await db.prisma.cluster.findFirstOrThrow({ where: { name }, select: { id: true } })).id;
const detailOf = async (name: string, now = at("2026-04-10T00:00:00Z")) => {
  const detail = await getClusterDetail(db, await idOf(name), config, now);
  if (!detail) throw new Error(`no detail for ${name}`);
  return detail;
};

describe("getClusterDetail", () => {
  test("assembles facts, controls with evidence, namespaces, allow-any rules as YAML text and the findings", async () => {
    const cluster = makeCluster({ name: "pay-prod", owner: "payments", production: true });
    await collect(scriptedSource({ [SUB_A]: [cluster] }, { "pay-prod": makeInCluster({ allowAnyIngress: true }) }), "2026-04-01T06:00:00Z");
    const detail = await detailOf("pay-prod");

    expect(detail.cluster).toMatchObject({
      name: "pay-prod",
      resourceGroup: "rg-test",
      subscriptionId: SUB_A,
      location: "westeurope",
      owner: "payments",
      production: true,
      engine: "azure",
      engineEnabled: true,
      rawNetworkPolicy: "azure",
      networkPlugin: "azure",
      nodeCount: 3,
      deletedAt: null,
    });
    expect(detail.cluster.tags).toEqual([
      { key: "environment", value: "production" },
      { key: "owner", value: "payments" },
    ]);
    expect(detail.controls.map((control) => [control.id, control.status])).toEqual([
      ["NP-01", "pass"],
      ["NP-02", "pass"],
      ["NP-03", "pass"],
      ["NP-04", "pass"],
      ["NP-05", "pass"],
      ["NP-06", "fail"],
      ["NP-07", "pass"],
    ]);
    const np06 = detail.controls[5];
    expect(np06.title).toBe("No allow-any rules");
    expect(np06.evidence.rules).toEqual([{ kind: "NetworkPolicy", namespace: "default", policy: "allow-all", list: "ingress", direction: "ingress", index: 0 }]);
    expect(detail.namespaces).toEqual([expect.objectContaining({ name: "default", defaultDenyIngress: true, defaultDenyEgress: true, allowsDns: true })]);
    expect(detail.allowAnyRules).toEqual([
      expect.objectContaining({ namespace: "default", policy: "allow-all", direction: "ingress", index: 0, class: "A", yaml: "ingress:\n  - {}\n" }),
    ]);
    expect(detail.snapshot).toMatchObject({ controlsPassed: 6, controlsFailed: 1, controlsNa: 0, allowAnyCount: 1, capturedAt: "2026-04-01T06:00:00.000Z" });
    expect(detail.freshness).toMatchObject({ seenInLatestRun: true, listingFault: null, inCluster: { state: "read", capturedAt: "2026-04-01T06:00:00.000Z", failingSince: null, fault: null } });
    expect(detail.rulesChanged).toBe(false);
    expect(detail.findings).toMatchObject({ total: 1, open: 1 });
    expect(detail.findings.items[0]).toMatchObject({ controlId: "NP-06", controlTitle: "No allow-any rules", openedAt: "2026-04-01T06:00:00.000Z", resolvedAt: null });
  });

  test("remediation covers every failing control: az aks update with caveats, Terraform, Bicep and manifests", async () => {
    await collect(
      scriptedSource({ [SUB_A]: [makeCluster({ name: "open-door", networkPolicy: "none" })] }, { "open-door": makeInCluster({ defaultDeny: false, allowAnyIngress: true }) }),
      "2026-04-01T06:00:00Z",
    );
    const detail = await detailOf("open-door");
    const failing = detail.controls.filter((control) => control.status === "fail").map((control) => control.id);
    expect(failing).toEqual(expect.arrayContaining(["NP-01", "NP-02", "NP-03", "NP-05", "NP-06"]));
    for (const id of failing) {
      expect(detail.remediation.some((item) => item.controlId === id), `remediation for ${id}`).toBe(true);
    }
    const engine = detail.remediation.filter((item) => item.controlId === "NP-01");
    expect(engine.map((item) => item.format)).toEqual(["shell", "terraform", "bicep"]);
    expect(engine[0].content).toContain("az aks update");
    expect(engine[0].content).toContain("--name open-door");
    expect(engine[0].caveats.length).toBeGreaterThan(0);
    const ingress = detail.remediation.find((item) => item.controlId === "NP-02");
    expect(ingress).toMatchObject({ format: "yaml" });
    expect(ingress?.content).toContain("bulkhead-default-deny-ingress");
    expect(detail.remediation.find((item) => item.controlId === "NP-06")?.content).toContain("default/allow-all ingress[0]");
  });

  test("a cluster whose API server stopped answering shows its carried in-cluster data as stale, with the cause and since when", async () => {
    const cluster = makeCluster({ name: "private-1" });
    await collect(scriptedSource({ [SUB_A]: [cluster] }, { "private-1": makeInCluster({ allowAnyIngress: true }) }), "2026-04-01T06:00:00Z");
    await collect(scriptedSource({ [SUB_A]: [cluster] }, { "private-1": { cause: "unreachable", message: "dial tcp 10.0.0.4:443: connect: no route to host" } }), "2026-04-02T06:00:00Z");
    await collect(scriptedSource({ [SUB_A]: [cluster] }, { "private-1": { cause: "unreachable", message: "dial tcp 10.0.0.4:443: i/o timeout" } }), "2026-04-03T06:00:00Z");
    const detail = await detailOf("private-1");
    expect(detail.freshness.inCluster).toEqual({
      state: "carried",
      capturedAt: "2026-04-01T06:00:00.000Z",
      failingSince: "2026-04-02T06:00:00.000Z",
      fault: { cause: "unreachable", message: "dial tcp 10.0.0.4:443: i/o timeout" },
    });
    // Judged on the carried objects: NP-06 still fails rather than turning n/a or passing.
    expect(detail.controls.find((control) => control.id === "NP-06")?.status).toBe("fail");
    expect(detail.snapshot.capturedAt).toBe("2026-04-03T06:00:00.000Z");
    expect(detail.remediation.some((item) => item.controlId === "NP-06")).toBe(true);
  });

  test("without in-cluster data the namespace controls are n/a and the fault is named", async () => {
    await collect(scriptedSource({ [SUB_A]: [makeCluster({ name: "unread" })] }, { unread: { cause: "forbidden", message: "403 Forbidden" } }), "2026-04-01T06:00:00Z");
    const detail = await detailOf("unread");
    expect(detail.freshness.inCluster).toEqual({ state: "none", capturedAt: null, failingSince: "2026-04-01T06:00:00.000Z", fault: { cause: "forbidden", message: "403 Forbidden" } });
    expect(detail.controls.filter((control) => control.status === "n/a").map((control) => control.id)).toEqual(["NP-02", "NP-03", "NP-04", "NP-05", "NP-06", "NP-07"]);
    expect(detail.snapshot.controlsNa).toBe(6);
    expect(detail.namespaces).toEqual([]);
    expect(detail.remediation).toEqual([]);
  });

  test("a cluster its latest run did not list says so, with the listing fault; a deleted one keeps its last state", async () => {
    const a1 = makeCluster({ name: "a1" });
    const b1 = makeCluster({ subscription: SUB_B, name: "b1", networkPolicy: "none" });
    const b2 = makeCluster({ subscription: SUB_B, name: "b2" });
    await collect(scriptedSource({ [SUB_A]: [a1], [SUB_B]: [b1, b2] }), "2026-04-01T06:00:00Z");
    await collect(scriptedSource({ [SUB_A]: [a1], [SUB_B]: [b1] }), "2026-04-02T06:00:00Z"); // b2 deleted
    await collect(scriptedSource({ [SUB_A]: [a1], [SUB_B]: { cause: "forbidden", message: "AuthorizationFailed on subscription" } }), "2026-04-03T06:00:00Z");
    const b1Detail = await detailOf("b1");
    expect(b1Detail.freshness).toMatchObject({
      latestRunAt: "2026-04-03T06:00:00.000Z",
      seenInLatestRun: false,
      listingFault: { cause: "forbidden", message: "AuthorizationFailed on subscription" },
    });
    expect(b1Detail.snapshot.capturedAt).toBe("2026-04-02T06:00:00.000Z");
    const b2Detail = await detailOf("b2");
    expect(b2Detail.cluster.deletedAt).toBe("2026-04-02T06:00:00.000Z");
    expect(b2Detail.freshness.listingFault).toBeNull();
    expect((await detailOf("a1")).freshness.seenInLatestRun).toBe(true);
  });

  test("findings list open and resolved episodes with their dates, and a waiver in force", async () => {
    const c = (policy: string) => makeCluster({ name: "flappy", networkPolicy: policy });
    await collect(scriptedSource({ [SUB_A]: [c("none")] }), "2026-04-01T06:00:00Z");
    await collect(scriptedSource({ [SUB_A]: [c("azure")] }), "2026-04-02T06:00:00Z");
    await collect(scriptedSource({ [SUB_A]: [c("none")] }), "2026-04-03T06:00:00Z");
    const open = await db.prisma.finding.findFirstOrThrow({ where: { resolvedAt: null, controlId: "NP-01" } });
    await createWaiver(db, { findingId: open.id, reason: "migration to Cilium booked", expiresAt: at("2026-05-01T00:00:00Z"), actor: "sec-lead", at: at("2026-04-03T07:00:00Z") });
    const detail = await detailOf("flappy");
    const np01 = detail.findings.items.filter((finding) => finding.controlId === "NP-01");
    expect(np01).toEqual([
      expect.objectContaining({ openedAt: "2026-04-03T06:00:00.000Z", resolvedAt: null, waiver: { reason: "migration to Cilium booked", expiresAt: "2026-05-01T00:00:00.000Z", createdBy: "sec-lead" } }),
      expect.objectContaining({ openedAt: "2026-04-01T06:00:00.000Z", resolvedAt: "2026-04-02T06:00:00.000Z", resolution: "passed", waiver: null }),
    ]);
    expect(detail.findings.open).toBe(detail.findings.items.filter((finding) => finding.resolvedAt === null).length);
  });

  test("unknown ids, and ids beyond the id type, are null", async () => {
    expect(await getClusterDetail(db, 4242, config)).toBeNull();
    expect(await getClusterDetail(db, 2 ** 31, config)).toBeNull();
    expect(await getClusterTimeline(db, 4242, 30)).toBeNull();
  });
});

describe("getClusterTimeline", () => {
  test("one point per UTC day, from the posture intervals; days before first seen and after deletion are not present", async () => {
    const c = (policy: string) => makeCluster({ name: "t1", networkPolicy: policy });
    await collect(scriptedSource({ [SUB_A]: [c("none")] }, { t1: makeInCluster() }), "2026-04-03T06:00:00Z");
    await collect(scriptedSource({ [SUB_A]: [c("none")] }, { t1: makeInCluster() }), "2026-04-04T06:00:00Z");
    await collect(scriptedSource({ [SUB_A]: [c("cilium")] }, { t1: makeInCluster({ allowAnyIngress: true }) }), "2026-04-05T06:00:00Z");
    await collect(scriptedSource({ [SUB_A]: [] }), "2026-04-07T06:00:00Z");
    const timeline = await getClusterTimeline(db, await idOf("t1"), 7, at("2026-04-08T12:00:00Z"));
    expect(timeline).toMatchObject({ days: 7, from: "2026-04-02", to: "2026-04-08" });
    const points = timeline!.points;
    expect(points.map((point) => point.day)).toEqual(["2026-04-02", "2026-04-03", "2026-04-04", "2026-04-05", "2026-04-06", "2026-04-07", "2026-04-08"]);
    expect(points.map((point) => point.present)).toEqual([false, true, true, true, true, false, false]);
    expect(points[1]).toMatchObject({ engineEnabled: false, allowAny: 0 });
    expect(points[1].passRate).toBeLessThan(100);
    expect(points[3]).toMatchObject({ engineEnabled: true, allowAny: 1, failed: 1, passed: 6, passRate: 85.7 });
    expect(points[5]).toMatchObject({ engineEnabled: null, passRate: null });
  });
});
