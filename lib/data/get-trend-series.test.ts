import { beforeAll, describe, expect, test } from "vitest";
import { runCollection } from "@/lib/collector/run-collection";
import { getKpiTrend } from "@/lib/kpi/get-kpi-trend";
import { DEFAULT_POSTURE_CONFIG } from "@/lib/posture";
import type { PostureSource } from "@/lib/sources/source";
import { at, makeCluster, scriptedSource, SUB_A, SUB_B } from "@/testing/estate-builders";
import { setupTestDatabase } from "@/testing/setup-test-database";
import { getTrendSeries, TREND_FIELDS, type TrendGroup, type TrendValues } from "./get-trend-series";

const db = setupTestDatabase();
const pointAt = (group: TrendGroup, index: number) => Object.fromEntries(TREND_FIELDS.map((field) => [field, group.values[field][index]])) as unknown as TrendValues;
const collect = (source: PostureSource, capturedAt: string) => runCollection(db, { source, capturedAt: at(capturedAt), config: DEFAULT_POSTURE_CONFIG });

// Owner a: 4 clusters with an engine. Owner b: 1 cluster, fixed after 24 h. Owner c (in B): 3
// clusters without an engine, one fixed after 72 h. Merged, b and c are 2 of 4 enabled (50 %),
// not the 66.7 % an average of their percentages would give.
beforeAll(async () => {
  await db.prisma.subscription.create({ data: { id: SUB_B, displayName: "Shop", firstSeenAt: at("2026-03-01T00:00:00Z") } });
  const a = ["a1", "a2", "a3", "a4"].map((name) => makeCluster({ name, owner: "a" }));
  const b1 = (policy: string) => makeCluster({ name: "b1", owner: "b", networkPolicy: policy });
  const c = (fixed: boolean) => [
    makeCluster({ subscription: SUB_B, name: "c1", owner: "c", networkPolicy: fixed ? "azure" : "none" }),
    makeCluster({ subscription: SUB_B, name: "c2", owner: "c", networkPolicy: "none" }),
    makeCluster({ subscription: SUB_B, name: "c3", owner: "c", networkPolicy: "none" }),
  ];
  await collect(scriptedSource({ [SUB_A]: [...a, b1("none")], [SUB_B]: c(false) }), "2026-03-01T06:00:00Z");
  await collect(scriptedSource({ [SUB_A]: [...a, b1("azure")], [SUB_B]: c(false) }), "2026-03-02T06:00:00Z");
  await collect(scriptedSource({ [SUB_A]: [...a, b1("azure")], [SUB_B]: c(true) }), "2026-03-04T06:00:00Z");
});

type Picked = Pick<TrendValues, "clusters" | "clustersEnabled" | "percentEnabled" | "mttrHours" | "resolvedFindings" | "openFindings">;
const pick = ({ clusters, clustersEnabled, percentEnabled, mttrHours, resolvedFindings, openFindings }: Picked) => ({
  clusters,
  clustersEnabled,
  percentEnabled,
  mttrHours,
  resolvedFindings,
  openFindings,
});

describe("trend series", () => {
  test("top groups by size on the last day, the rest merged into other from counts", async () => {
    const series = await getTrendSeries(db, { toDay: at("2026-03-05T15:00:00Z"), range: 30, by: "owner", scope: {}, top: 1 });
    expect(series.days).toHaveLength(30);
    expect([series.fromDay, series.toDay]).toEqual(["2026-02-04", "2026-03-05"]);
    expect(series.totalGroups).toBe(3);
    expect(series.groups.map((g) => [g.key, g.label, g.kind, g.memberCount, g.clustersAtEnd])).toEqual([
      ["a", "a", "group", 1, 4],
      ["__other__", "Other (2 owners)", "other", 2, 4],
    ]);
    const other = series.groups[1];
    const last = pointAt(other, series.days.length - 1);
    expect(pick(last)).toEqual({ clusters: 4, clustersEnabled: 2, percentEnabled: 50, mttrHours: 48, resolvedFindings: 2, openFindings: 2 });
    // Before any run: no clusters, and no ratio rather than zero.
    expect(pick(pointAt(other, 0))).toEqual({ clusters: 0, clustersEnabled: 0, percentEnabled: null, mttrHours: null, resolvedFindings: 0, openFindings: 0 });
    // 2 March: b1 fixed after 24 h, c still open.
    expect(pick(pointAt(other, series.days.indexOf("2026-03-02")))).toEqual({ clusters: 4, clustersEnabled: 1, percentEnabled: 25, mttrHours: 24, resolvedFindings: 1, openFindings: 3 });
  });

  test("other plus the top groups add up to the unsplit trend, day by day", async () => {
    const params = { toDay: at("2026-03-05T00:00:00Z"), range: 30, scope: {} } as const;
    const [split, whole, raw] = await Promise.all([
      getTrendSeries(db, { ...params, by: "owner", top: 1 }),
      getTrendSeries(db, { ...params, by: "none" }),
      getKpiTrend(db, { fromDay: at("2026-02-04"), toDay: at("2026-03-05"), by: "owner" }),
    ]);
    expect(whole.groups.map((g) => [g.key, g.label, g.kind])).toEqual([["all", "All clusters", "all"]]);
    split.days.forEach((day, index) => {
      const sum = (field: "clusters" | "clustersEnabled" | "controlsPassed" | "controlsFailed" | "openFindings" | "resolvedFindings") =>
        split.groups.reduce((total, group) => total + group.values[field][index], 0);
      const all = pointAt(whole.groups[0], index);
      expect([sum("clusters"), sum("clustersEnabled"), sum("controlsPassed"), sum("controlsFailed"), sum("openFindings"), sum("resolvedFindings")], day).toEqual([
        all.clusters,
        all.clustersEnabled,
        all.controlsPassed,
        all.controlsFailed,
        all.openFindings,
        all.resolvedFindings,
      ]);
      // A group shown on its own has exactly the figures of the per-owner trend.
      const a = raw.find((point) => point.key === "a" && point.day === day);
      if (a) expect(pick(pointAt(split.groups[0], index)), day).toEqual(pick(a));
    });
    expect(pointAt(whole.groups[0], whole.days.length - 1)).toMatchObject({ clusters: 8, clustersEnabled: 6, percentEnabled: 75, mttrHours: 48 });
  });

  test("no other series when it would hold a single group; subscriptions labelled by display name; filters apply", async () => {
    const bySubscription = await getTrendSeries(db, { toDay: at("2026-03-05T00:00:00Z"), range: 30, by: "subscription", scope: {}, top: 1 });
    expect(bySubscription.groups.map((g) => [g.key, g.label, g.kind])).toEqual([
      [SUB_A, SUB_A, "group"],
      [SUB_B, "Shop", "group"],
    ]);
    const scoped = await getTrendSeries(db, { toDay: at("2026-03-05T00:00:00Z"), range: 30, by: "owner", scope: { subscriptionId: SUB_A, owner: "b" } });
    expect(scoped.groups.map((g) => [g.key, g.clustersAtEnd])).toEqual([["b", 1]]);
  });

  test("an empty scope gives one empty series unsplit, and no series split", async () => {
    const params = { toDay: at("2026-03-05T00:00:00Z"), range: 30, scope: { owner: "nobody" } } as const;
    const whole = await getTrendSeries(db, { ...params, by: "none" });
    expect(whole.groups).toHaveLength(1);
    expect(whole.groups[0].values.clusters.every((clusters) => clusters === 0)).toBe(true);
    expect(whole.groups[0].values.percentEnabled.every((value) => value === null)).toBe(true);
    expect((await getTrendSeries(db, { ...params, by: "owner" })).groups).toEqual([]);
  });
});
