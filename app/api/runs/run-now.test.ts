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
