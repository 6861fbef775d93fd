import { beforeAll, describe, expect, test } from "vitest";
import { runCollection } from "@/lib/collector/run-collection";
import { DEFAULT_POSTURE_CONFIG } from "@/lib/posture";
import type { PostureSource } from "@/lib/sources/source";
import { at, makeCluster, makeInCluster, scriptedSource, SUB_A, SUB_B } from "@/testing/estate-builders";
import { setupTestDatabase } from "@/testing/setup-test-database";
import { listRunErrors } from "./list-run-errors";
import { listRuns } from "./list-runs";

const db = setupTestDatabase();
const runIds: number[] = [];
const collect = async (source: PostureSource, capturedAt: string) => {
  const result = await runCollection(db, { source, capturedAt: at(capturedAt), config: DEFAULT_POSTURE_CONFIG });
  runIds.push(result.runId);
  return result;
};

const clusters = ["c1", "c2", "c3", "c4"].map((name) => makeCluster({ name }));

beforeAll(async () => {
  // 1: clean, every cluster read. 2: two API servers unreachable, one timeout, one subscription forbidden.
  // 3: nothing listed at all, so the run fails. 4: clean again, one cluster gone.
  const read = Object.fromEntries(clusters.map((cluster) => [cluster.name as string, makeInCluster()]));
  await collect(scriptedSource({ [SUB_A]: clusters, [SUB_B]: [] }, read), "2026-05-01T06:00:00Z");
  await collect(
    scriptedSource(
      { [SUB_A]: clusters, [SUB_B]: { cause: "forbidden", message: "The client does not have authorization <script>alert(1)</script>" } },
      {
        ...read,
        c1: { cause: "unreachable", message: "dial tcp: no route to host" },
        c2: { cause: "unreachable", message: "dial tcp: connection refused" },
        c3: { cause: "timeout", message: "context deadline exceeded" },
      },
    ),
    "2026-05-02T06:00:00Z",
  );
  await collect(scriptedSource({ [SUB_A]: { cause: "unauthenticated", message: "token expired" } }), "2026-05-03T06:00:00Z");
  await collect(scriptedSource({ [SUB_A]: clusters.slice(0, 3), [SUB_B]: [] }, read), "2026-05-04T06:00:00Z");
});

describe("listRuns", () => {
  test("newest capture first, with counts, in-cluster coverage and errors grouped by cause", async () => {
    const result = await listRuns(db);
    expect(result).toMatchObject({ total: 4, page: 1, pageCount: 1 });
    expect(result.rows.map((row) => row.capturedAt)).toEqual([
      "2026-05-04T06:00:00.000Z",
      "2026-05-03T06:00:00.000Z",
      "2026-05-02T06:00:00.000Z",
      "2026-05-01T06:00:00.000Z",
    ]);
    const [fourth, third, second, first] = result.rows;
    expect(first).toMatchObject({ status: "completed", source: "files", subscriptionsListed: 2, subscriptionsFailed: 0, clustersSeen: 4, clustersWithInCluster: 4, inClusterCoverage: 100, errorCount: 0, errorsByCause: [], failureMessage: null });
    expect(second).toMatchObject({ status: "completed", subscriptionsListed: 1, subscriptionsFailed: 1, clustersSeen: 4, clustersWithInCluster: 1, inClusterCoverage: 25, errorCount: 4 });
    expect(second.errorsByCause).toEqual([
      { cause: "unreachable", count: 2 },
      { cause: "forbidden", count: 1 },
      { cause: "timeout", count: 1 },
    ]);
    expect(third).toMatchObject({ status: "failed", clustersSeen: 0, inClusterCoverage: null, errorsByCause: [{ cause: "unauthenticated", count: 1 }] });
    expect(third.failureMessage).toContain("token expired");
    expect(fourth).toMatchObject({ clustersDeleted: 1, clustersSeen: 3 });
    // Every run here has finished: its duration is the time from its start to its end, as recorded.
    const recorded = await db.prisma.collectionRun.findMany({ select: { id: true, startedAt: true, finishedAt: true } });
    for (const row of result.rows) {
      const run = recorded.find((item) => item.id === row.id)!;
      expect(run.finishedAt).not.toBeNull();
      expect(row.startedAt).toBe(run.startedAt.toISOString());
      expect(row.finishedAt).toBe(run.finishedAt!.toISOString());
      expect(row.durationMs).toBe(run.finishedAt!.getTime() - run.startedAt.getTime());
    }
  });

  test("pages and the status filter; a page past the end serves the last one", async () => {
    const page2 = await listRuns(db, { pageSize: 10, page: 1 });
    expect(page2.rows).toHaveLength(4);
    const small = await listRuns(db, { pageSize: 10, page: 5 });
    expect(small.page).toBe(1);
    const failed = await listRuns(db, { status: "failed" });
    expect(failed.rows.map((row) => row.capturedAt)).toEqual(["2026-05-03T06:00:00.000Z"]);
    expect((await listRuns(db, { status: "running" })).total).toBe(0);
  });
});

describe("listRunErrors", () => {
  test("a run's errors in the order they were met, clusters linked, messages kept verbatim", async () => {
    const result = await listRunErrors(db, runIds[1]);
    expect(result).toMatchObject({ runId: runIds[1], total: 4, page: 1, pageCount: 1 });
    const bySubscription = result!.errors.find((error) => error.scope === "subscription");
    expect(bySubscription).toMatchObject({ target: SUB_B, cause: "forbidden", cluster: null, message: "The client does not have authorization <script>alert(1)</script>" });
    const inCluster = result!.errors.filter((error) => error.scope === "in-cluster");
    expect(inCluster.map((error) => error.cluster?.name).sort()).toEqual(["c1", "c2", "c3"]);
    expect(inCluster.every((error) => error.cluster && error.cluster.id > 0)).toBe(true);
  });

  test("a run without errors has an empty list; an unknown run is null", async () => {
    expect(await listRunErrors(db, runIds[0])).toMatchObject({ total: 0, errors: [] });
    expect(await listRunErrors(db, 9999)).toBeNull();
    expect(await listRunErrors(db, 2 ** 40)).toBeNull();
  });
});
