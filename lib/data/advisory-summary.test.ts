import { beforeAll, expect, test } from "vitest";
import { runCollection } from "@/lib/collector/run-collection";
import { undoLastRun } from "@/lib/collector/undo-run";
import { DEFAULT_POSTURE_CONFIG } from "@/lib/posture";
import type { PostureSource } from "@/lib/sources/source";
import { at, makeCluster, scriptedSource, SUB_A } from "@/testing/estate-builders";
import { setupTestDatabase } from "@/testing/setup-test-database";
import { CLUSTERS_LISTED, getAdvisorySummary } from "./get-advisory-summary";

const db = setupTestDatabase();
const collect = (source: PostureSource, capturedAt: string) => runCollection(db, { source, capturedAt: at(capturedAt), config: DEFAULT_POSTURE_CONFIG });
const kubenet = (name: string, production: boolean) => ({
  ...makeCluster({ name, owner: production ? "payments" : "search", production }),
  networkProfile: { networkPlugin: "kubenet", networkPolicy: "calico" },
});

// More kubenet clusters than the Overview lists; "k-moved" leaves kubenet on the second day.
const estate = [
  ...Array.from({ length: 40 }, (_, i) => kubenet(`k-dev-${String(i).padStart(2, "0")}`, false)),
  ...Array.from({ length: 20 }, (_, i) => kubenet(`k-prod-${String(i).padStart(2, "0")}`, true)),
];
const moved = kubenet("k-moved", false);

beforeAll(async () => {
  await collect(scriptedSource({ [SUB_A]: [...estate, moved] }), "2026-03-01T06:00:00Z");
  await collect(scriptedSource({ [SUB_A]: [...estate, makeCluster({ name: "k-moved", owner: "search", production: false })] }), "2026-03-02T06:00:00Z");
});

test("counts every cluster but lists at most CLUSTERS_LISTED of them, production first, then by name", async () => {
  const summary = await getAdvisorySummary(db, { asOf: at("2026-03-02T12:00:00Z"), scope: {} });
  const kubenetRetirement = summary.find((a) => a.id === "kubenet-retirement")!;
  expect(kubenetRetirement.count).toBe(60);
  expect(kubenetRetirement.clusters).toHaveLength(CLUSTERS_LISTED);
  expect(kubenetRetirement.clusters.slice(0, 20).every((c) => c.production)).toBe(true);
  expect(kubenetRetirement.clusters.map((c) => c.name).slice(19, 22)).toEqual(["k-prod-19", "k-dev-00", "k-dev-01"]);
  // k-moved runs Azure NPM on its second day: rules v2 advises on NPM's retirement (30 Sep 2028).
  expect(summary.find((a) => a.id === "npm-retirement")?.clusters.map((c) => c.name)).toEqual(["k-moved"]);
  expect(summary.filter((a) => a.id !== "kubenet-retirement" && a.id !== "npm-retirement").every((a) => a.count === 0 && a.clusters.length === 0)).toBe(true);
});

test("a past time is judged on each cluster's snapshot of that time", async () => {
  const before = (await getAdvisorySummary(db, { asOf: at("2026-03-01T12:00:00Z"), scope: {} })).find((a) => a.id === "kubenet-retirement")!;
  expect(before.count).toBe(61);
  const after = (await getAdvisorySummary(db, { asOf: at("2026-03-02T12:00:00Z"), scope: { owner: "search" } })).find((a) => a.id === "kubenet-retirement")!;
  expect(after.count).toBe(40);
  expect(after.clusters.map((c) => c.name)).not.toContain("k-moved");
});

test("a change of advisories alone starts a new posture interval, and undoing the run takes it back", async () => {
  const intervalsOf = async (name: string) =>
    (await db.pool.query<{ advisory_ids: string[]; valid_to: Date | null }>(
      `SELECT pi.advisory_ids, pi.valid_to FROM posture_intervals pi JOIN clusters c ON c.id = pi.cluster_id WHERE c.name = $1 ORDER BY pi.valid_from`,
      [name],
    )).rows;
  expect(await intervalsOf("k-moved")).toEqual([
    { advisory_ids: ["kubenet-retirement"], valid_to: at("2026-03-02T06:00:00Z") },
    { advisory_ids: ["npm-retirement"], valid_to: null },
  ]);
  // A cluster whose advisories stayed the same keeps one interval.
  expect(await intervalsOf("k-dev-00")).toEqual([{ advisory_ids: ["kubenet-retirement"], valid_to: null }]);

  await undoLastRun(db, "test");
  expect(await intervalsOf("k-moved")).toEqual([{ advisory_ids: ["kubenet-retirement"], valid_to: null }]);
  const summary = await getAdvisorySummary(db, { asOf: at("2026-03-02T12:00:00Z"), scope: {} });
  expect(summary.find((a) => a.id === "kubenet-retirement")?.count).toBe(61);
  expect(summary.find((a) => a.id === "npm-retirement")?.count).toBe(0);
});
