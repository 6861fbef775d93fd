import { describe, expect, test } from "vitest";
import { CONTROL_IDS, DEFAULT_POSTURE_CONFIG } from "@/lib/posture";
import { getKpis } from "@/lib/kpi/get-kpis";
import { at, makeCluster, makeInCluster, scriptedSource, SUB_A, SUB_B } from "@/testing/estate-builders";
import { setupTestDatabase } from "@/testing/setup-test-database";
import { createListedSource, type PostureSource } from "@/lib/sources/source";
import { runCollection } from "./run-collection";

const db = setupTestDatabase({ resetBeforeEach: true });

const config = DEFAULT_POSTURE_CONFIG;
const collect = (source: PostureSource, capturedAt: string) => runCollection(db, { source, capturedAt: at(capturedAt), config });
const all = async (asOf: string) => (await getKpis(db, { asOf: at(asOf) })).groups[0];

describe("carry forward and deletion (docs/design.md §3)", () => {
  test("a subscription whose listing failed keeps its clusters in today's totals, and nothing is marked deleted", async () => {
    await collect(scriptedSource({ [SUB_A]: [makeCluster({ name: "a1" })], [SUB_B]: [makeCluster({ subscription: SUB_B, name: "b1", networkPolicy: "none" })] }), "2026-01-01T06:00:00Z");
    const second = await collect(
      scriptedSource({ [SUB_A]: [makeCluster({ name: "a1" })], [SUB_B]: { cause: "forbidden", message: "403 AuthorizationFailed" } }),
      "2026-01-02T06:00:00Z",
    );
    expect(second.status).toBe("completed");
    expect(second.subscriptionsFailed).toBe(1);
    expect(second.clustersDeleted).toBe(0);
    const kpis = await all("2026-01-02T12:00:00Z");
    expect(kpis.clusters).toBe(2);
    expect(kpis.clustersEnabled).toBe(1);
    expect(kpis.percentEnabled).toBe(50);
    const errors = await db.prisma.runError.findMany({ where: { runId: second.runId } });
    expect(errors).toEqual([expect.objectContaining({ scope: "subscription", target: SUB_B, cause: "forbidden", message: "403 AuthorizationFailed" })]);
  });

  test("a subscription absent from a run carries forward too", async () => {
    await collect(scriptedSource({ [SUB_A]: [makeCluster({ name: "a1" })], [SUB_B]: [makeCluster({ subscription: SUB_B, name: "b1" })] }), "2026-01-01T06:00:00Z");
    await collect(scriptedSource({ [SUB_A]: [makeCluster({ name: "a1" })] }), "2026-01-02T06:00:00Z");
    expect((await all("2026-01-03T00:00:00Z")).clusters).toBe(2);
  });

  test("a cluster missing from a successful listing is deleted at that run, and leaves the KPIs from then on", async () => {
    await collect(scriptedSource({ [SUB_A]: [makeCluster({ name: "a1" }), makeCluster({ name: "a2", networkPolicy: "none" })] }), "2026-01-01T06:00:00Z");
    const second = await collect(scriptedSource({ [SUB_A]: [makeCluster({ name: "a1" })] }), "2026-01-02T06:00:00Z");
    expect(second.clustersDeleted).toBe(1);
    expect((await all("2026-01-02T05:59:59Z")).clusters).toBe(2);
    expect((await all("2026-01-02T06:00:00Z")).clusters).toBe(1);
    const deleted = await db.prisma.cluster.findFirstOrThrow({ where: { name: "a2" } });
    expect(deleted.deletedAt).toEqual(at("2026-01-02T06:00:00Z"));
    // Its open findings close as deleted, with an audit event.
    const findings = await db.prisma.finding.findMany({ where: { clusterId: deleted.id }, include: { events: true } });
    expect(findings.length).toBeGreaterThan(0);
    for (const finding of findings) {
      expect(finding.resolution).toBe("deleted");
      expect(finding.events.map((e) => e.type)).toEqual(["opened", "cluster-deleted"]);
    }
  });

  test("a listing with an unparseable cluster marks nothing deleted in that subscription", async () => {
    await collect(scriptedSource({ [SUB_A]: [makeCluster({ name: "a1" }), makeCluster({ name: "a2" })] }), "2026-01-01T06:00:00Z");
    const second = await collect(scriptedSource({ [SUB_A]: [makeCluster({ name: "a1" }), { name: "a2", id: 42 }] }), "2026-01-02T06:00:00Z");
    expect(second.clustersDeleted).toBe(0);
    expect(second.faults).toEqual([expect.objectContaining({ scope: "cluster", cause: "malformed" })]);
    expect((await all("2026-01-03T00:00:00Z")).clusters).toBe(2);
  });

  test("a deleted cluster that reappears counts again", async () => {
    await collect(scriptedSource({ [SUB_A]: [makeCluster({ name: "a1" })] }), "2026-01-01T06:00:00Z");
    await collect(scriptedSource({ [SUB_A]: [] }), "2026-01-02T06:00:00Z");
    expect((await all("2026-01-02T12:00:00Z")).clusters).toBe(0);
    await collect(scriptedSource({ [SUB_A]: [makeCluster({ name: "a1" })] }), "2026-01-03T06:00:00Z");
    expect((await all("2026-01-03T12:00:00Z")).clusters).toBe(1);
    expect((await db.prisma.cluster.findFirstOrThrow({ where: { name: "a1" } })).deletedAt).toBeNull();
  });
});

describe("in-cluster faults keep the previous state (docs/design.md §7)", () => {
  test("an unreachable API server re-judges the last good objects instead of counting the cluster as fixed", async () => {
    const cluster = makeCluster({ name: "a1" });
    await collect(scriptedSource({ [SUB_A]: [cluster] }, { a1: makeInCluster({ allowAnyIngress: true }) }), "2026-01-01T06:00:00Z");
    const second = await collect(scriptedSource({ [SUB_A]: [cluster] }, { a1: { cause: "unreachable", message: "connect ETIMEDOUT" } }), "2026-01-02T06:00:00Z");
    expect(second.clustersWithInCluster).toBe(0);
    const kpis = await all("2026-01-02T12:00:00Z");
    expect(kpis.controlsFailed).toBe(1); // NP-06 still fails, not n/a
    expect(kpis.controlsPassed).toBe(6);
    const snapshot = await db.prisma.snapshot.findFirstOrThrow({ where: { runId: second.runId } });
    expect(snapshot.hasInClusterData).toBe(true);
    expect(snapshot.inClusterCapturedAt).toEqual(at("2026-01-01T06:00:00Z"));
  });

  test("without earlier objects the cluster is judged without in-cluster data (n/a), never as passing", async () => {
    const run = await collect(scriptedSource({ [SUB_A]: [makeCluster({ name: "a1" })] }, { a1: { cause: "timeout", message: "timed out after 30 s" } }), "2026-01-01T06:00:00Z");
    const snapshot = await db.prisma.snapshot.findFirstOrThrow({ where: { runId: run.runId } });
    expect([snapshot.np02, snapshot.np03, snapshot.np06, snapshot.np07]).toEqual(["na", "na", "na", "na"]);
  });
});

describe("runs are atomic and exclusive", () => {
  test("a source that throws half way leaves no snapshot, and the run is recorded as failed", async () => {
    await collect(scriptedSource({ [SUB_A]: [makeCluster({ name: "a1" })] }), "2026-01-01T06:00:00Z");
    const broken: PostureSource = createListedSource({
      kind: "files",
      listAll: async () => [{ subscriptionId: SUB_A, ok: true, clusters: [makeCluster({ name: "a1" }), makeCluster({ name: "a2" })] }],
      readInCluster: async (ref) => {
        if (ref.name === "a2") throw new Error("socket hang up");
        return { status: "absent" };
      },
    });
    // A thrown in-cluster read is a recorded fault, not a crash: the run completes.
    const run = await collect(broken, "2026-01-02T06:00:00Z");
    expect(run.status).toBe("completed");
    expect(run.faults).toEqual([expect.objectContaining({ scope: "in-cluster", message: "socket hang up" })]);

    const failing: PostureSource = createListedSource({ kind: "files", listAll: async () => { throw new Error("token expired"); }, readInCluster: async () => ({ status: "absent" }) });
    const failed = await collect(failing, "2026-01-03T06:00:00Z");
    expect(failed.status).toBe("failed");
    expect(await db.prisma.snapshot.count({ where: { runId: failed.runId } })).toBe(0);
    expect((await db.prisma.collectionRun.findUniqueOrThrow({ where: { id: failed.runId } })).failureMessage).toMatch(/token expired/);
    expect((await all("2026-01-04T00:00:00Z")).clusters).toBe(2);
  });

  test("a write that fails half way rolls the whole run back", async () => {
    await collect(scriptedSource({ [SUB_A]: [makeCluster({ name: "a1" })] }, { a1: makeInCluster() }), "2026-01-01T06:00:00Z");
    // Fail the write after snapshots and clusters went in: posture intervals come later in the transaction.
    await db.pool.query(`CREATE FUNCTION fail_intervals() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'disk full'; END; $$`);
    await db.pool.query(`CREATE TRIGGER fail_intervals BEFORE INSERT OR UPDATE ON posture_intervals FOR EACH ROW EXECUTE FUNCTION fail_intervals()`);
    try {
      const source = scriptedSource({ [SUB_A]: [makeCluster({ name: "a1", networkPolicy: "none" }), makeCluster({ name: "a2" })] }, { a1: makeInCluster({ allowAnyIngress: true }) });
      await expect(collect(source, "2026-01-02T06:00:00Z")).rejects.toThrow(/disk full/);
    } finally {
      await db.pool.query(`DROP TRIGGER fail_intervals ON posture_intervals; DROP FUNCTION fail_intervals()`);
    }
    expect(await db.prisma.snapshot.count()).toBe(1);
    expect(await db.prisma.cluster.count()).toBe(1);
    expect(await db.prisma.finding.count()).toBe(0);
    const runs = await db.prisma.collectionRun.findMany({ orderBy: { id: "asc" } });
    expect(runs.map((r) => r.status)).toEqual(["completed", "failed"]);
    expect(runs[1].failureMessage).toMatch(/disk full/);
    const kpis = await all("2026-01-03T00:00:00Z");
    expect([kpis.clusters, kpis.clustersEnabled, kpis.controlsPassed, kpis.controlsFailed]).toEqual([1, 1, 7, 0]);
  });

  test("a run that died (still marked running) is marked failed by the next run and nothing of it is read", async () => {
    await db.prisma.collectionRun.create({ data: { source: "azure", status: "running", capturedAt: at("2026-01-01T00:00:00Z") } });
    const run = await collect(scriptedSource({ [SUB_A]: [makeCluster({ name: "a1" })] }), "2026-01-01T06:00:00Z");
    expect(run.status).toBe("completed");
    const runs = await db.prisma.collectionRun.findMany({ orderBy: { id: "asc" } });
    expect(runs.map((r) => r.status)).toEqual(["failed", "completed"]);
    expect(runs[0].failureMessage).toMatch(/stopped before it completed/);
  });

  test("two concurrent runs never write at the same time: the second fails with a clear message, or waits", async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slow: PostureSource = createListedSource({
      kind: "files",
      listAll: async () => {
        await gate;
        return [{ subscriptionId: SUB_A, ok: true, clusters: [makeCluster({ name: "a1" })] }];
      },
      readInCluster: async () => ({ status: "absent" }),
    });
    const first = collect(slow, "2026-01-01T06:00:00Z");
    await expect.poll(() => db.prisma.collectionRun.count({ where: { status: "running" } })).toBe(1);
    await expect(collect(scriptedSource({ [SUB_A]: [] }), "2026-01-01T07:00:00Z")).rejects.toThrow(/Another collection run \(#\d+, files, started .*\) is in progress/);
    const waiting = runCollection(db, { source: scriptedSource({ [SUB_A]: [makeCluster({ name: "a1" })] }), capturedAt: at("2026-01-01T07:00:00Z"), config, wait: true });
    release();
    const [a, b] = await Promise.all([first, waiting]);
    expect([a.status, b.status]).toEqual(["completed", "completed"]);
    const runs = await db.prisma.collectionRun.findMany({ orderBy: { id: "asc" } });
    expect(runs.map((r) => [r.status, r.finishedAt !== null])).toEqual([["completed", true], ["completed", true]]);
    // The waiting run started only after the first had finished.
    expect(runs[1].startedAt.getTime()).toBeGreaterThanOrEqual(runs[0].finishedAt!.getTime());
  });

  test("history is recorded forward in time: an older capture is refused and changes nothing", async () => {
    await collect(scriptedSource({ [SUB_A]: [makeCluster({ name: "a1" })] }), "2026-01-02T06:00:00Z");
    await expect(collect(scriptedSource({ [SUB_A]: [] }), "2026-01-01T06:00:00Z")).rejects.toThrow(/before the latest completed run/);
    expect(await db.prisma.collectionRun.count()).toBe(1);
    expect((await all("2026-01-03T00:00:00Z")).clusters).toBe(1);
  });
});

describe("snapshots keep raw values beside derived ones", () => {
  test("the literal networkPolicy string and the source documents are stored, documents once per content", async () => {
    const cluster = makeCluster({ name: "a1", networkPolicy: "Antrea" });
    await collect(scriptedSource({ [SUB_A]: [cluster] }, { a1: makeInCluster() }), "2026-01-01T06:00:00Z");
    await collect(scriptedSource({ [SUB_A]: [cluster] }, { a1: makeInCluster() }), "2026-01-02T06:00:00Z");
    const snapshots = await db.prisma.snapshot.findMany({ orderBy: { id: "asc" } });
    expect(snapshots.map((s) => [s.rawNetworkPolicy, s.engine, s.engineEnabled])).toEqual([
      ["Antrea", "unknown:antrea", false],
      ["Antrea", "unknown:antrea", false],
    ]);
    expect(await db.prisma.rawDocument.count()).toBe(2);
    const document = await db.prisma.rawDocument.findUniqueOrThrow({ where: { hash: snapshots[0].clusterDocHash } });
    expect(document.body).toEqual(cluster);
    // The evidence too: the same judgement twice is one evaluations row, the one each snapshot names.
    expect(new Set(snapshots.map((s) => s.evaluationHash)).size).toBe(1);
    const evaluation = await db.prisma.evaluation.findUniqueOrThrow({ where: { hash: snapshots[1].evaluationHash } });
    expect(await db.prisma.evaluation.count()).toBe(1);
    expect((evaluation.controls as { id: string }[]).map((c) => c.id)).toEqual(CONTROL_IDS);
    // A changed judgement (the engine now named) is a second row; the first is kept for its snapshot.
    await collect(scriptedSource({ [SUB_A]: [makeCluster({ name: "a1", networkPolicy: "calico" })] }, { a1: makeInCluster() }), "2026-01-03T06:00:00Z");
    expect(await db.prisma.evaluation.count()).toBe(2);
    // Unchanged state extends one posture interval instead of writing a new one each day.
    expect(await db.prisma.postureInterval.count({ where: { validFrom: { lt: at("2026-01-03T00:00:00Z") } } })).toBe(1);
  });
});
