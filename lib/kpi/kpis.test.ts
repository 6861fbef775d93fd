import { describe, expect, test } from "vitest";
import { addDays } from "date-fns";
import { runCollection } from "@/lib/collector/run-collection";
import { createWaiver } from "@/lib/db/waivers";
import { DEFAULT_POSTURE_CONFIG } from "@/lib/posture";
import type { PostureSource } from "@/lib/sources/source";
import { at, makeCluster, makeInCluster, scriptedSource, SUB_A, SUB_B } from "@/testing/estate-builders";
import { setupTestDatabase } from "@/testing/setup-test-database";
import { getRiskRanking } from "@/lib/data/get-risk-ranking";
import { getKpiTrend } from "./get-kpi-trend";
import { getKpis } from "./get-kpis";

const db = setupTestDatabase({ resetBeforeEach: true });

const collect = (source: PostureSource, capturedAt: string) => runCollection(db, { source, capturedAt: at(capturedAt), config: DEFAULT_POSTURE_CONFIG });
const all = async (asOf: string, from?: string) => (await getKpis(db, { asOf: at(asOf), from: from ? at(from) : undefined })).groups[0];

describe("MTTR (docs/design.md §5)", () => {
  test("episodes: open, resolve, reopen as a new finding, and a finding closed by deletion is not counted", async () => {
    const c1 = (policy: string) => makeCluster({ name: "c1", networkPolicy: policy });
    const c2 = makeCluster({ name: "c2", networkPolicy: "none" });
    await collect(scriptedSource({ [SUB_A]: [c1("none"), c2] }), "2026-02-01T06:00:00Z");
    await collect(scriptedSource({ [SUB_A]: [c1("azure"), c2] }), "2026-02-02T06:00:00Z"); // c1 fixed after 24 h
    await collect(scriptedSource({ [SUB_A]: [c1("none"), c2] }), "2026-02-03T06:00:00Z"); // c1 regresses
    expect((await all("2026-02-03T12:00:00Z")).openFindings).toBe(2);
    await collect(scriptedSource({ [SUB_A]: [c1("none")] }), "2026-02-04T06:00:00Z"); // c2 deleted while open
    await collect(scriptedSource({ [SUB_A]: [c1("azure")] }), "2026-02-05T06:00:00Z"); // c1 fixed after 48 h

    const kpis = await all("2026-02-06T00:00:00Z", "2026-01-31T00:00:00Z");
    expect(kpis).toMatchObject({ resolvedFindings: 2, mttrHours: 36, mttrMedianHours: 36, openFindings: 0 });

    const c1Findings = await db.prisma.finding.findMany({ where: { controlId: "NP-01", cluster: { name: "c1" } }, orderBy: { id: "asc" }, include: { events: { orderBy: { id: "asc" } } } });
    expect(c1Findings.map((f) => [f.openedAt.toISOString(), f.resolvedAt?.toISOString(), f.resolution])).toEqual([
      ["2026-02-01T06:00:00.000Z", "2026-02-02T06:00:00.000Z", "passed"],
      ["2026-02-03T06:00:00.000Z", "2026-02-05T06:00:00.000Z", "passed"],
    ]);
    expect(c1Findings.map((f) => f.events.map((e) => e.type))).toEqual([["opened", "resolved"], ["reopened", "resolved"]]);

    // The window is (from, to]: a resolution exactly at `from` is outside, exactly at `to` inside.
    expect(await all("2026-02-05T06:00:00Z", "2026-02-02T06:00:00Z")).toMatchObject({ resolvedFindings: 1, mttrHours: 48 });
    // No resolved finding in the window: null, not zero.
    expect(await all("2026-02-04T00:00:00Z", "2026-02-03T00:00:00Z")).toMatchObject({ resolvedFindings: 0, mttrHours: null, mttrMedianHours: null });
  });
});

describe("audit pass rate", () => {
  test("n/a results are left out", async () => {
    // Engine on, no in-cluster data: NP-01 passes, the six others are n/a.
    await collect(scriptedSource({ [SUB_A]: [makeCluster({ name: "c1" })] }), "2026-02-01T06:00:00Z");
    expect(await all("2026-02-02T00:00:00Z")).toMatchObject({ controlsPassed: 1, controlsFailed: 0, auditPassRate: 100 });
  });

  test("a waived finding leaves the pass rate until its waiver expires", async () => {
    const cluster = makeCluster({ name: "c1", production: true });
    for (const day of ["01", "02", "03", "04"]) {
      await collect(scriptedSource({ [SUB_A]: [cluster] }, { c1: makeInCluster({ allowAnyIngress: true }) }), `2026-02-${day}T06:00:00Z`);
    }
    const finding = await db.prisma.finding.findFirstOrThrow({ where: { controlId: "NP-06" } });
    await createWaiver(db, { findingId: finding.id, reason: "vendor appliance needs it until migration", expiresAt: at("2026-02-03T12:00:00Z"), actor: "sec@example.com", at: at("2026-02-01T12:00:00Z") });

    expect(await all("2026-02-01T11:00:00Z")).toMatchObject({ controlsPassed: 6, controlsFailed: 1, auditPassRate: 85.7, allowAnyRulesProduction: 1 });
    expect(await all("2026-02-02T12:00:00Z")).toMatchObject({ controlsPassed: 6, controlsFailed: 0, auditPassRate: 100 });
    expect(await all("2026-02-03T12:00:00Z")).toMatchObject({ controlsFailed: 1, auditPassRate: 85.7 });
    // Allow-any rules are still counted: a waiver hides a finding from the pass rate, not the rule.
    expect((await all("2026-02-02T12:00:00Z")).allowAnyRulesProduction).toBe(1);
  });

  test("a waived NP-01 finding leaves the open-findings count while the waiver is in force", async () => {
    await collect(scriptedSource({ [SUB_A]: [makeCluster({ name: "c1", networkPolicy: "none" })] }), "2026-02-01T06:00:00Z");
    const finding = await db.prisma.finding.findFirstOrThrow({ where: { controlId: "NP-01" } });
    await createWaiver(db, { findingId: finding.id, reason: "cluster retires in March", expiresAt: at("2026-02-10T00:00:00Z"), actor: "sec@example.com", at: at("2026-02-02T00:00:00Z") });
    expect((await all("2026-02-01T12:00:00Z")).openFindings).toBe(1);
    expect((await all("2026-02-05T00:00:00Z")).openFindings).toBe(0);
    expect((await all("2026-02-11T00:00:00Z")).openFindings).toBe(1);
  });
});

describe("grouping", () => {
  test("by owner and by subscription, groups sorted by key, each with its own figures", async () => {
    await collect(
      scriptedSource(
        {
          [SUB_B]: [makeCluster({ subscription: SUB_B, name: "b1", owner: "payments", production: true })],
          [SUB_A]: [makeCluster({ name: "a1", owner: "search", networkPolicy: "none" }), makeCluster({ name: "a2", owner: "payments", production: true })],
        },
        { b1: makeInCluster({ allowAnyIngress: true }), a2: makeInCluster({ allowAnyIngress: true }) },
      ),
      "2026-02-01T06:00:00Z",
    );
    const byOwner = await getKpis(db, { asOf: at("2026-02-02T00:00:00Z"), by: "owner" });
    expect(byOwner.by).toBe("owner");
    expect(byOwner.groups.map((g) => [g.key, g.clusters, g.percentEnabled, g.allowAnyRulesProduction, g.openFindings])).toEqual([
      ["payments", 2, 100, 2, 0],
      ["search", 1, 0, 0, 1],
    ]);
    const bySubscription = await getKpis(db, { asOf: at("2026-02-02T00:00:00Z"), by: "subscription" });
    expect(bySubscription.groups.map((g) => [g.key, g.clusters, g.clustersEnabled])).toEqual([
      [SUB_A, 2, 1],
      [SUB_B, 1, 1],
    ]);
    const scoped = await getKpis(db, { asOf: at("2026-02-02T00:00:00Z"), scope: { owner: "payments" } });
    expect(scoped.groups).toEqual([expect.objectContaining({ key: "all", clusters: 2, controlsPassed: 12, controlsFailed: 2, auditPassRate: 85.7 })]);
  });

  test("an empty store gives one empty group, with nulls where a ratio has no denominator", async () => {
    const report = await getKpis(db, { asOf: at("2026-02-02T00:00:00Z") });
    expect(report.groups).toEqual([
      {
        key: "all",
        clusters: 0,
        clustersEnabled: 0,
        percentEnabled: null,
        mttrHours: null,
        mttrMedianHours: null,
        resolvedFindings: 0,
        openFindings: 0,
        allowAnyRulesProduction: 0,
        controlsPassed: 0,
        controlsFailed: 0,
        auditPassRate: null,
        lateralExposure: null,
        clustersWithExposure: 0,
        // No cost read: every spend figure missing, never zero; the period is still stated.
        spendCurrency: null,
        spendFromDay: "2026-01-03",
        spendToDay: "2026-02-01",
        spendTotal: null,
        spendAtRisk: null,
        spendAtRiskShare: null,
        spendWeightedPassRate: null,
        clustersWithCost: 0,
      },
    ]);
  });
});

describe("lateral exposure (docs/design.md §5)", () => {
  test("the pod-weighted mean over the clusters with in-cluster data; none without, none under two pods", async () => {
    await collect(
      scriptedSource(
        {
          [SUB_A]: [
            makeCluster({ name: "segmented", owner: "payments", production: true }),
            makeCluster({ name: "open", owner: "payments", production: true }),
            makeCluster({ name: "single", owner: "search", production: true }),
            makeCluster({ name: "unread", owner: "search", production: true }),
          ],
        },
        {
          // Default deny both ways: no pod reaches another (0 %), 5 pods.
          segmented: makeInCluster({ pods: { web: 3, api: 2 } }),
          // Nothing isolates anything: every pod reaches every other (100 %), 4 pods.
          open: makeInCluster({ defaultDeny: false, pods: { web: 2, api: 2 } }),
          // One pod: no pair, no exposure.
          single: makeInCluster({ defaultDeny: false, pods: { web: 1 } }),
        },
      ),
      "2026-02-01T06:00:00Z",
    );
    expect(await all("2026-02-02T00:00:00Z")).toMatchObject({ clusters: 4, clustersWithExposure: 2, lateralExposure: 44.4 });
    const byOwner = await getKpis(db, { asOf: at("2026-02-02T00:00:00Z"), by: "owner" });
    expect(byOwner.groups.map((g) => [g.key, g.lateralExposure, g.clustersWithExposure])).toEqual([
      ["payments", 44.4, 2],
      ["search", null, 0],
    ]);
    // The risk ranking weighs its production clusters the same way, and ranks by it after failures and allow-any rules.
    const risk = await getRiskRanking(db, { asOf: at("2026-02-02T00:00:00Z"), by: "owner", scope: {} });
    expect(risk.map((row) => [row.key, row.lateralExposure])).toEqual([
      ["payments", 44.4],
      ["search", null],
    ]);
    // The snapshots carry each cluster's own figure and its weight.
    const snapshots = await db.prisma.snapshot.findMany({ include: { cluster: true }, orderBy: { cluster: { name: "asc" } } });
    expect(snapshots.map((s) => [s.cluster.name, s.lateralExposure?.toNumber() ?? null, s.workloadPods, s.reachabilityHash !== null])).toEqual([
      ["open", 100, 4, true],
      ["segmented", 0, 5, true],
      ["single", null, 1, true],
      ["unread", null, null, false],
    ]);
  });

  test("without pod data each workload namespace is one pod (its stranger pod)", async () => {
    const inCluster = makeInCluster({ defaultDeny: false });
    inCluster.namespaces.push({ apiVersion: "v1", kind: "Namespace", metadata: { name: "shop", labels: { "kubernetes.io/metadata.name": "shop" } } });
    await collect(scriptedSource({ [SUB_A]: [makeCluster({ name: "c1" })] }, { c1: inCluster }), "2026-02-01T06:00:00Z");
    expect(await all("2026-02-02T00:00:00Z")).toMatchObject({ clustersWithExposure: 1, lateralExposure: 100 });
  });
});

describe("trend", () => {
  test("each day of the trend equals the KPIs computed at the end of that day", async () => {
    const days = ["2026-03-01", "2026-03-02", "2026-03-04", "2026-03-05", "2026-03-08"];
    const states: Record<string, unknown>[][] = [
      [makeCluster({ name: "c1", networkPolicy: "none", owner: "a", production: true }), makeCluster({ name: "c2", owner: "b" })],
      [makeCluster({ name: "c1", owner: "a", production: true }), makeCluster({ name: "c2", owner: "b" }), makeCluster({ name: "c3", networkPolicy: "none", owner: "b" })],
      [makeCluster({ name: "c1", owner: "a", production: true }), makeCluster({ name: "c3", networkPolicy: "none", owner: "b" })],
      [makeCluster({ name: "c1", owner: "b", production: true }), makeCluster({ name: "c3", owner: "b" })],
      [makeCluster({ name: "c1", networkPolicy: "none", owner: "b", production: true }), makeCluster({ name: "c3", owner: "b" })],
    ];
    for (const [index, day] of days.entries()) {
      // Pods change on some days, and c3's exposure with its default deny: lateral exposure moves too.
      const inCluster = { c1: makeInCluster({ allowAnyIngress: index % 2 === 0, pods: { web: 2 + index, api: 1 } }), c3: makeInCluster({ defaultDeny: index < 3, pods: { web: 3 } }) };
      await collect(scriptedSource({ [SUB_A]: states[index] }, inCluster), `${day}T06:00:00Z`);
    }
    const np06 = await db.prisma.finding.findFirstOrThrow({ where: { controlId: "NP-06" } });
    await createWaiver(db, { findingId: np06.id, reason: "temporary", expiresAt: at("2026-03-03T18:00:00Z"), actor: "sec", at: at("2026-03-01T08:00:00Z") });

    for (const by of ["all", "owner"] as const) {
      const trend = await getKpiTrend(db, { fromDay: at("2026-02-28"), toDay: at("2026-04-05"), by });
      for (let day = at("2026-02-28"); day <= at("2026-04-05"); day = addDays(day, 1)) {
        const endOfDay = new Date(addDays(day, 1).getTime() - 1);
        const expected = await getKpis(db, { asOf: endOfDay, by });
        const dayText = day.toISOString().slice(0, 10);
        for (const group of expected.groups.filter((g) => g.clusters > 0 || g.resolvedFindings > 0 || g.openFindings > 0)) {
          const point = trend.find((p) => p.key === group.key && p.day === dayText);
          expect(point, `${by} ${group.key} ${dayText}`).toMatchObject({
            clusters: group.clusters,
            clustersEnabled: group.clustersEnabled,
            percentEnabled: group.percentEnabled,
            allowAnyRulesProduction: group.allowAnyRulesProduction,
            controlsPassed: group.controlsPassed,
            controlsFailed: group.controlsFailed,
            auditPassRate: group.auditPassRate,
            mttrHours: group.mttrHours,
            resolvedFindings: group.resolvedFindings,
            openFindings: group.openFindings,
            lateralExposure: group.lateralExposure,
            clustersWithExposure: group.clustersWithExposure,
          });
        }
      }
      expect(trend.length).toBeGreaterThan(0);
      // The figures the comparison covers are not all alike: exposure changes in the window.
      if (by === "all") expect(new Set(trend.map((point) => point.lateralExposure)).size).toBeGreaterThan(2);
    }
  });
});
