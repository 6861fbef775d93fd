import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { assignFindings, commentOnFinding, waiveFinding } from "@/lib/findings/finding-actions";
import { getKpis } from "@/lib/kpi/get-kpis";
import { DEFAULT_POSTURE_CONFIG } from "@/lib/posture";
import { at, makeCluster, makeInCluster, scriptedSource, SUB_A, SUB_B } from "@/testing/estate-builders";
import { createTestDatabase, type TestDatabase } from "@/testing/test-database";
import { runCollection } from "./run-collection";
import { undoLastRun } from "./undo-run";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.close();
});

// The state a run writes and KPIs read, row by row (ids included: an undo restores, it does not rebuild).
const STATE_TABLES = ["clusters", "subscriptions", "posture_intervals", "snapshots", "findings", "waivers"] as const;

async function dumpState(): Promise<Record<string, unknown[]>> {
  const state: Record<string, unknown[]> = {};
  for (const table of STATE_TABLES) {
    state[table] = (await db.pool.query(`SELECT to_jsonb(t) AS row FROM ${table} t ORDER BY id`)).rows.map((row) => row.row);
  }
  return state;
}

async function kpisAt(asOf: string) {
  return Promise.all((["all", "subscription", "owner"] as const).map((by) => getKpis(db, { asOf: at(asOf), by })));
}

async function events(): Promise<{ id: string; finding_id: number; type: string }[]> {
  return (await db.pool.query(`SELECT id::text, finding_id, type FROM finding_events ORDER BY finding_events.id`)).rows;
}

const T1 = "2026-03-01T06:00:00Z";
const T2 = "2026-03-02T06:00:00Z";
const T3 = "2026-03-03T06:00:00Z";
const LATER = "2026-03-03T12:00:00Z";

const estate = {
  one: () =>
    scriptedSource(
      {
        [SUB_A]: [
          makeCluster({ name: "keep", networkPolicy: "none", owner: "payments", production: true }),
          makeCluster({ name: "fix", networkPolicy: "none", owner: "payments" }),
          makeCluster({ name: "gone", networkPolicy: "none", owner: "search" }),
          makeCluster({ name: "moves", networkPolicy: "none", owner: "team-a" }),
        ],
      },
      { keep: makeInCluster({ allowAnyIngress: true }), gone: makeInCluster() },
    ),
  // Run 3: "fix" gets an engine, "gone" is gone, "new" and a new subscription appear, "moves" changes owner, "keep" drops its allow-any rule.
  three: () =>
    scriptedSource(
      {
        [SUB_A]: [
          makeCluster({ name: "keep", networkPolicy: "none", owner: "payments", production: true }),
          makeCluster({ name: "fix", networkPolicy: "azure", owner: "payments" }),
          makeCluster({ name: "moves", networkPolicy: "none", owner: "team-b" }),
          makeCluster({ name: "new", networkPolicy: "none", owner: "web", production: true }),
        ],
        [SUB_B]: [makeCluster({ subscription: SUB_B, name: "b-new", networkPolicy: "none", owner: "web" })],
      },
      { keep: makeInCluster(), new: makeInCluster({ allowAnyIngress: true }) },
    ),
};

describe("bulkhead runs undo-last", () => {
  test("the store, its KPIs and its findings are exactly as before the run; the trail keeps what happened", async () => {
    await runCollection(db, { source: estate.one(), capturedAt: at(T1), config: DEFAULT_POSTURE_CONFIG });
    await runCollection(db, { source: estate.one(), capturedAt: at(T2), config: DEFAULT_POSTURE_CONFIG });
    // People's work between the runs stays whatever the undo does.
    const keepNp01 = await db.prisma.finding.findFirstOrThrow({ where: { controlId: "NP-01", cluster: { name: "keep" } } });
    await assignFindings(db, { ids: [keepNp01.id], assignee: "team-payments", actor: "sec@example.com" }, at(T2));

    const before = await dumpState();
    const kpisBefore = await kpisAt(LATER);
    const eventsBefore = await events();

    const three = await runCollection(db, { source: estate.three(), capturedAt: at(T3), config: DEFAULT_POSTURE_CONFIG });
    expect(three).toMatchObject({ status: "completed", clustersDeleted: 1 });
    expect(three.findingsOpened).toBeGreaterThan(0);
    expect(three.findingsResolved).toBeGreaterThan(0);
    const stateAfterThree = await dumpState();
    const kpisAfterThree = await kpisAt(LATER);
    expect(kpisAfterThree).not.toEqual(kpisBefore);
    // Work on a finding the run opened: it goes with the finding, into the archive.
    const opened = await db.prisma.finding.findFirstOrThrow({ where: { cluster: { name: "new" }, controlId: "NP-01" } });
    await assignFindings(db, { ids: [opened.id], assignee: "team-web", actor: "sec@example.com" }, at(LATER));
    await commentOnFinding(db, { id: opened.id, text: "new cluster, new engine soon", actor: "sec@example.com" });
    await waiveFinding(db, { id: opened.id, reason: "migrating next week", expiresAt: new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10), actor: "sec@example.com" });

    const result = await undoLastRun(db, "admin@example.com");
    expect(result).toMatchObject({ runId: three.runId, clustersRemoved: 2, findingsRemoved: three.findingsOpened });

    expect(await dumpState()).toEqual(before);
    expect(await kpisAt(LATER)).toEqual(kpisBefore);

    // The trail: everything before is still there, plus what run 3 wrote about findings that still
    // exist and one `run-undone` entry per resolution it withdrew.
    const eventsAfter = await events();
    expect(eventsAfter.slice(0, eventsBefore.length)).toEqual(eventsBefore);
    const added = eventsAfter.slice(eventsBefore.length);
    expect(new Set(added.map((event) => event.type))).toEqual(new Set(["resolved", "cluster-deleted", "run-undone"]));
    expect(added.filter((event) => event.type === "run-undone")).toHaveLength(added.filter((event) => event.type !== "run-undone").length);

    const run = await db.prisma.collectionRun.findUniqueOrThrow({ where: { id: three.runId } });
    expect(run).toMatchObject({ status: "undone", undoneBy: "admin@example.com" });
    expect(run.undoneAt).toBeInstanceOf(Date);
    const archive = await db.pool.query<{ kind: string; count: string }>(`SELECT kind, count(*) FROM run_undo_archive WHERE run_id = $1 GROUP BY kind ORDER BY kind`, [three.runId]);
    expect(Object.fromEntries(archive.rows.map((row) => [row.kind, Number(row.count)]))).toMatchObject({ finding: three.findingsOpened, waiver: 1 });
    expect(archive.rows.find((row) => row.kind === "finding_event")!.count).toSatisfy((count: string) => Number(count) >= three.findingsOpened + 3);

    // The same run recorded again gives the same store as the first time (ids aside).
    const again = await runCollection(db, { source: estate.three(), capturedAt: at(T3), config: DEFAULT_POSTURE_CONFIG });
    expect(again).toMatchObject({ status: "completed", clustersDeleted: 1, findingsOpened: three.findingsOpened, findingsResolved: three.findingsResolved });
    expect(await kpisAt(LATER)).toEqual(kpisAfterThree);
    expect((await dumpState()).clusters.length).toBe(stateAfterThree.clusters.length);
  });

  test("runs are undone newest first, each back to the state before it; the trail refuses any other delete", async () => {
    const beforeAgain = await dumpState();
    expect(beforeAgain.snapshots.length).toBeGreaterThan(0);
    // Undo the re-recorded run 3, then run 2: the store is as after run 1.
    await undoLastRun(db, "admin@example.com");
    await undoLastRun(db, "admin@example.com");
    const afterOne = await getKpis(db, { asOf: at("2026-03-01T12:00:00Z") });
    // The same figures later; only the times (asOf, MTTR window, spend period) move with asOf.
    const period = { spendFromDay: expect.any(String), spendToDay: expect.any(String) };
    expect(await getKpis(db, { asOf: at(LATER) })).toEqual({
      ...afterOne,
      asOf: LATER.replace("Z", ".000Z"),
      from: expect.any(String),
      groups: afterOne.groups.map((group) => ({ ...group, ...period })),
    });
    expect(await db.prisma.snapshot.count()).toBe(4);
    await expect(db.pool.query(`DELETE FROM finding_events WHERE id = (SELECT min(id) FROM finding_events)`)).rejects.toThrow(/append-only/);
    await expect(db.pool.query(`UPDATE finding_events SET actor = 'x' WHERE id = (SELECT min(id) FROM finding_events)`)).rejects.toThrow(/append-only/);
  });

  test("a capture time more than five minutes ahead is refused and changes nothing", async () => {
    const runs = await db.prisma.collectionRun.count();
    await expect(
      runCollection(db, { source: estate.one(), capturedAt: new Date(Date.now() + 10 * 60_000), config: DEFAULT_POSTURE_CONFIG }),
    ).rejects.toThrow(/more than 5 minutes ahead of this machine's clock/);
    expect(await db.prisma.collectionRun.count()).toBe(runs);
  });
});
