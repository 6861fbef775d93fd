import { getEnv } from "@/lib/env";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { getServerPostureConfig } from "@/lib/data/posture-config";
import { fillDemoStore } from "@/lib/demo/fill-demo-store";
import { callRoute, signInAs } from "@/testing/auth-session";
import { createTestDatabase, type TestDatabase } from "@/testing/test-database";

let db: TestDatabase;
let cookie: string;
let collectRoute: typeof import("./collect/route");
let runsRoute: typeof import("./route");

beforeAll(async () => {
  db = await createTestDatabase();
  process.env.DATABASE_URL = db.url;
  process.env.BULKHEAD_DATA_DIR = await mkdtemp(path.join(tmpdir(), "bulkhead-run-now-"));
  // A demo store: "Run collection now" re-reads the demo estate.
  process.env.BULKHEAD_DEMO_ACCOUNTS = "1";
  await fillDemoStore(db, { clusters: 12, days: 3, config: getServerPostureConfig(), env: getEnv() });
  cookie = await signInAs(db, "admin");
  collectRoute = await import("./collect/route");
  runsRoute = await import("./route");
});
afterAll(async () => {
  await waitForNoRunningRun();
  await db?.close();
});

/** Until no run is marked running and nobody holds the run lock (it is released just after the commit). */
async function waitForNoRunningRun(): Promise<void> {
  for (let attempt = 0; attempt < 300; attempt++) {
    const { rows } = await db.pool.query<{ busy: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM collection_runs WHERE status = 'running')
           OR EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())) AS busy`,
    );
    if (!rows[0].busy) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error("a run is still running after 30 s");
}

/** What a CLI killed with SIGKILL half way leaves: a run row marked running, and no lock holder. */
async function leaveDeadRun(): Promise<number> {
  const { rows } = await db.pool.query<{ id: number }>(
    `INSERT INTO collection_runs (source, status, captured_at, started_at) VALUES ('files', 'running', now() - interval '1 hour', now() - interval '1 hour') RETURNING id`,
  );
  return rows[0].id;
}

const runNow = () => callRoute(collectRoute.POST, { method: "POST", path: "/api/runs/collect", cookie, body: {} });

describe("Run collection now", () => {
  test("five requests at once: exactly one run starts, four are refused with a clear 409", async () => {
    const runsBefore = await db.prisma.collectionRun.count();
    const answers = await Promise.all(Array.from({ length: 5 }, runNow));
    const statuses = answers.map((answer) => answer.status).sort();
    expect(statuses).toEqual([200, 409, 409, 409, 409]);
    for (const answer of answers.filter((candidate) => candidate.status === 409)) {
      expect(answer.body).toMatchObject({ error: { code: "busy" } });
      expect((answer.body as { error: { message: string } }).error.message).toMatch(/(Run #\d+ \(demo, started .*\) is still in progress|Another collection run is starting); try again when it has finished\./);
    }
    await waitForNoRunningRun();
    expect(await db.prisma.collectionRun.count()).toBe(runsBefore + 1);
    expect(await db.prisma.collectionRun.count({ where: { status: "completed", options: { path: ["trigger"], equals: "manual" } } })).toBe(1);
  });

  test("a run left running by a killed CLI blocks nobody: it is marked failed and the new run starts", async () => {
    const dead = await leaveDeadRun();
    const answer = await runNow();
    expect(answer.status).toBe(200);
    expect(await db.prisma.collectionRun.findUniqueOrThrow({ where: { id: dead } })).toMatchObject({ status: "failed", failureMessage: expect.stringMatching(/its process ended/) });
    await waitForNoRunningRun();
  });

  test("the Runs list shows such a run as failed as soon as anyone looks", async () => {
    const dead = await leaveDeadRun();
    const list = await callRoute(runsRoute.GET, { path: "/api/runs", cookie });
    expect(list.status).toBe(200);
    const row = (list.body as { rows: { id: number; status: string }[] }).rows.find((candidate) => candidate.id === dead);
    expect(row?.status).toBe("failed");
  });

  test("a run whose process is alive (it holds the lock) is left alone", async () => {
    const holder = await db.pool.connect();
    try {
      const { RUN_LOCK_KEY } = await import("@/lib/collector/run-record");
      await holder.query("SELECT pg_advisory_lock($1)", [RUN_LOCK_KEY]);
      const alive = await leaveDeadRun();
      const list = await callRoute(runsRoute.GET, { path: "/api/runs", cookie });
      expect((list.body as { rows: { id: number; status: string }[] }).rows.find((row) => row.id === alive)?.status).toBe("running");
      const refused = await runNow();
      expect(refused.status).toBe(409);
      expect(JSON.stringify(refused.body)).toMatch(new RegExp(`Run #${alive} \\(files, started .*\\) is still in progress`));
      await holder.query("SELECT pg_advisory_unlock($1)", [RUN_LOCK_KEY]);
      expect((await runNow()).status).toBe(200);
      expect(await db.prisma.collectionRun.findUniqueOrThrow({ where: { id: alive } })).toMatchObject({ status: "failed" });
    } finally {
      holder.release();
    }
    await waitForNoRunningRun();
  });
});

describe("a demo store's manual runs, and cancelling a run", () => {
  test("'Run collection now' twice on a demo store: both re-read the demo estate, never Azure", async () => {
    for (let attempt = 0; attempt < 2; attempt++) {
      const started = await runNow();
      expect(started).toMatchObject({ status: 200, body: { status: "started", source: "demo" } });
      await waitForNoRunningRun();
    }
    const manual = await db.prisma.collectionRun.findMany({ where: { options: { path: ["trigger"], equals: "manual" } }, orderBy: { id: "desc" }, take: 2 });
    expect(manual.map((run) => [run.source, run.status])).toEqual([
      ["demo", "completed"],
      ["demo", "completed"],
    ]);
  });

  test("an admin cancels a running run: it ends cancelled, writes nothing, and the run slot is free again", async () => {
    const { runCollection } = await import("@/lib/collector/run-collection");
    const { describeDemoSourceForNow } = await import("@/lib/collector/start-collection-now");
    const { openSource } = await import("@/lib/sources/open-source");
    const { RunCancelledError } = await import("@/lib/collector/run-progress");
    const cancelRoute = await import("./[id]/cancel/route");
    const descriptor = await describeDemoSourceForNow(db);
    // A slow API server: 12 clusters at 400 ms, two at a time.
    const source = await openSource({ ...descriptor!, latencyMs: 400 }, getEnv());
    const snapshotsBefore = await db.prisma.snapshot.count();
    const run = runCollection(db, { source, capturedAt: new Date(), config: getServerPostureConfig(), concurrency: 2 });
    const outcome = run.then(
      () => "completed",
      (error: unknown) => error,
    );
    let runId: number | undefined;
    for (let attempt = 0; attempt < 100 && runId === undefined; attempt++) {
      const running = await db.prisma.collectionRun.findFirst({ where: { status: "running" } });
      if (running?.progress && (running.progress as { clustersRead: number }).clustersRead > 0) runId = running.id;
      else await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(runId).toBeDefined();
    // The Runs list shows how far it got.
    const list = await callRoute(runsRoute.GET, { path: "/api/runs", cookie });
    const live = (list.body as { rows: { id: number; status: string; progress: { clustersRead: number; clustersTotal: number } | null }[] }).rows.find((row) => row.id === runId)!;
    expect(live.status).toBe("running");
    expect(live.progress).toMatchObject({ clustersTotal: 12, clustersRead: expect.any(Number) });

    const cancelled = await callRoute(cancelRoute.POST, { method: "POST", path: `/api/runs/${runId}/cancel`, params: { id: String(runId) }, body: {}, cookie });
    expect(cancelled).toMatchObject({ status: 200, body: { id: runId, status: "cancelling" } });
    const error = await outcome;
    expect(error).toBeInstanceOf(RunCancelledError);
    expect(await db.prisma.collectionRun.findUniqueOrThrow({ where: { id: runId } })).toMatchObject({
      status: "cancelled",
      cancelRequestedBy: "admin@test.bulkhead.local",
      failureMessage: expect.stringMatching(/^Cancelled by admin@test\.bulkhead\.local before it wrote anything/),
    });
    expect(await db.prisma.snapshot.count()).toBe(snapshotsBefore);
    expect(await db.prisma.snapshot.count({ where: { runId } })).toBe(0);
    // Nothing left to cancel; and the slot is free: the next run starts at once.
    const again = await callRoute(cancelRoute.POST, { method: "POST", path: `/api/runs/${runId}/cancel`, params: { id: String(runId) }, body: {}, cookie });
    expect(again.status).toBe(409);
    expect((await runNow()).status).toBe(200);
    await waitForNoRunningRun();
  });
});
