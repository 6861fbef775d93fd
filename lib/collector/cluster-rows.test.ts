// A run writes only the cluster rows whose own fields changed (issue 20): the latest snapshot and the
// last sighting are read from the snapshots, so every reader still shows the latest run's, and an
// undo gives them the previous run's back.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { findProjectRoot } from "@/lib/db/project-root";
import { getClusterDetail } from "@/lib/data/get-cluster-detail";
import { listClusters } from "@/lib/data/list-clusters";
import { DEFAULT_POSTURE_CONFIG } from "@/lib/posture";
import { at, makeCluster, makeInCluster, scriptedSource, SUB_A } from "@/testing/estate-builders";
import { setupTestDatabase } from "@/testing/setup-test-database";
import { runCollection } from "./run-collection";
import { undoLastRun } from "./undo-run";

const db = setupTestDatabase({ resetBeforeEach: true });

const T1 = "2026-04-01T06:00:00Z";
const T2 = "2026-04-02T06:00:00Z";
const T3 = "2026-04-03T06:00:00Z";

const estate = (owner = "payments", policy = "none") =>
  scriptedSource(
    { [SUB_A]: [makeCluster({ name: "steady", networkPolicy: "azure", owner: "search" }), makeCluster({ name: "moving", networkPolicy: policy, owner })] },
    { steady: makeInCluster() },
  );
const collect = async (source: ReturnType<typeof estate>, capturedAt: string) => {
  const result = await runCollection(db, { source, capturedAt: at(capturedAt), config: DEFAULT_POSTURE_CONFIG });
  expect(result.status).toBe("completed");
  return result;
};

/** Rows of `table` the run's transaction wrote, found by xmin as the bench counts them. */
async function writtenBy(table: string, runId: number): Promise<string[]> {
  const { rows } = await db.pool.query<{ id: string }>(
    `SELECT t.id::text FROM ${table} t WHERE t.xmin = (SELECT xmin FROM snapshots WHERE run_id = $1 LIMIT 1) ORDER BY t.id`,
    [runId],
  );
  return rows.map((row) => row.id);
}

/** What the readers say of each cluster: its snapshot's run and time, and when it was last seen. */
async function readersSay(): Promise<Record<string, { listed: object; detail: object }>> {
  const list = await listClusters(db, { sort: "name", dir: "asc" });
  const said: Record<string, { listed: object; detail: object }> = {};
  for (const row of list.rows) {
    const detail = await getClusterDetail(db, row.id, DEFAULT_POSTURE_CONFIG);
    said[row.name] = {
      listed: { snapshotAt: row.snapshotAt, lastSeenAt: row.lastSeenAt, owner: row.owner, engine: row.engine, failed: row.controlsFailed },
      detail: { runId: detail!.snapshot.runId, capturedAt: detail!.snapshot.capturedAt, lastSeenAt: detail!.cluster.lastSeenAt, owner: detail!.cluster.owner },
    };
  }
  return said;
}

const iso = (text: string) => at(text).toISOString();

describe("cluster rows a run writes", () => {
  test("a run with no change rewrites no cluster row and stores no document; every reader shows its snapshot", async () => {
    await collect(estate(), T1);
    const second = await collect(estate(), T2);
    expect(await writtenBy("clusters", second.runId)).toEqual([]);
    const documents = await db.pool.query(`SELECT 1 FROM raw_documents WHERE xmin = (SELECT xmin FROM snapshots WHERE run_id = $1 LIMIT 1)`, [second.runId]);
    expect(documents.rowCount).toBe(0);

    const said = await readersSay();
    for (const name of ["moving", "steady"]) {
      expect(said[name].listed).toMatchObject({ snapshotAt: iso(T2), lastSeenAt: iso(T2) });
      expect(said[name].detail).toMatchObject({ runId: second.runId, capturedAt: iso(T2), lastSeenAt: iso(T2) });
    }
  });

  test("a cluster whose owner and engine changed is the one row rewritten; undoing that run gives every reader the earlier snapshot back", async () => {
    const first = await collect(estate(), T1);
    const before = await readersSay();
    const second = await collect(estate("team-b", "calico"), T2);

    const moving = await db.prisma.cluster.findFirstOrThrow({ where: { name: "moving" } });
    expect(await writtenBy("clusters", second.runId)).toEqual([String(moving.id)]);
    expect(moving).toMatchObject({ owner: "team-b", engine: "calico" });
    const after = await readersSay();
    expect(after.moving.listed).toMatchObject({ snapshotAt: iso(T2), lastSeenAt: iso(T2), owner: "team-b", engine: "calico" });
    expect(after.moving.detail).toMatchObject({ runId: second.runId, lastSeenAt: iso(T2), owner: "team-b" });
    expect(after.steady.detail).toMatchObject({ runId: second.runId, lastSeenAt: iso(T2) });

    const undone = await undoLastRun(db, "admin@example.com");
    expect(undone).toMatchObject({ runId: second.runId, clustersRestored: 1, clustersRemoved: 0 });
    expect(await readersSay()).toEqual(before);
    expect(before.steady.detail).toMatchObject({ runId: first.runId, capturedAt: iso(T1), lastSeenAt: iso(T1) });
  });

  test("two runs at the same capture time: the later one is the latest", async () => {
    await collect(estate(), T1);
    const second = await collect(estate("payments", "azure"), T1);
    const said = await readersSay();
    expect(said.moving.detail).toMatchObject({ runId: second.runId, capturedAt: iso(T1) });
    expect(said.moving.listed).toMatchObject({ engine: "azure" });
  });

  test("a deleted cluster keeps its last sighting; seen again, its row is written once more", async () => {
    await collect(estate(), T1);
    const gone = await collect(scriptedSource({ [SUB_A]: [makeCluster({ name: "steady", networkPolicy: "azure", owner: "search" })] }, { steady: makeInCluster() }), T2);
    expect(gone.clustersDeleted).toBe(1);
    const deleted = await listClusters(db, { deleted: "only" });
    expect(deleted.rows).toEqual([expect.objectContaining({ name: "moving", lastSeenAt: iso(T1), deletedAt: iso(T2) })]);

    const back = await collect(estate(), T3);
    const moving = await db.prisma.cluster.findFirstOrThrow({ where: { name: "moving" } });
    expect(await writtenBy("clusters", back.runId)).toEqual([String(moving.id)]);
    expect(moving.deletedAt).toBeNull();
  });
});

describe("the migration that drops latest_snapshot_id and last_seen_at", () => {
  const migration = () => readFile(path.join(findProjectRoot(), "prisma", "migrations", "20261207150526_cluster_rows_without_latest_snapshot", "migration.sql"), "utf8");

  test("a store written before it reads the same afterwards, and its latest run can still be undone from the old journal", async () => {
    await collect(estate(), T1);
    const before = await readersSay();
    const second = await collect(estate("team-b", "calico"), T2);
    const after = await readersSay();
    // The store as the earlier version left it: both columns on every row, and the run's journal
    // holding every known cluster row as it was before the run (with those columns).
    await db.pool.query(`ALTER TABLE clusters ADD COLUMN last_seen_at timestamptz(3), ADD COLUMN latest_snapshot_id bigint`);
    await db.pool.query(`DELETE FROM run_undo_journal WHERE run_id = $1 AND kind = 'cluster'`, [second.runId]);
    await db.pool.query(
      `INSERT INTO run_undo_journal (run_id, kind, ref_id, before)
       SELECT $1, 'cluster', c.id,
              to_jsonb(c) || jsonb_build_object('latest_snapshot_id', s.id, 'last_seen_at', s.captured_at, 'owner', s.owner, 'engine', s.engine)
         FROM clusters c JOIN snapshots s ON s.cluster_id = c.id AND s.run_id <> $1`,
      [second.runId],
    );
    await db.pool.query(`UPDATE clusters c SET latest_snapshot_id = s.id, last_seen_at = s.captured_at FROM snapshots s WHERE s.cluster_id = c.id AND s.run_id = $1`, [second.runId]);

    await db.pool.query(await migration());
    const columns = await db.pool.query(`SELECT column_name FROM information_schema.columns WHERE table_name = 'clusters' AND column_name IN ('last_seen_at', 'latest_snapshot_id')`);
    expect(columns.rowCount).toBe(0);
    expect(await readersSay()).toEqual(after);

    expect(await undoLastRun(db, "admin@example.com")).toMatchObject({ runId: second.runId, clustersRestored: 2, clustersRemoved: 0 });
    expect(await readersSay()).toEqual(before);
  });
});
