// A distributed run with in-process workers: the same store as an in-process run, the run slot,
// idempotent retries, jobs that exhaust their retries, a finalizer that fails, a graceful stop.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { resetStore } from "@/lib/demo/fill-demo-store";
import { getKpis } from "@/lib/kpi/get-kpis";
import { parseEnv } from "@/lib/env";
import { DEFAULT_POSTURE_CONFIG } from "@/lib/posture";
import { createDemoEstate, type DemoRun } from "@/lib/sources/demo";
import { createTestDatabase, type TestDatabase } from "@/testing/test-database";
import { runCollection } from "../run-collection";
import { describeRunOutcome } from "@/testing/describe-run-outcome";
import { handleExhaustedJob, handleJob, type JobContext } from "./handle-job";
import { openJobQueue, QUEUE_SCHEMA } from "./job-queue";
import type { DemoSourceDescriptor } from "@/lib/sources/source-descriptor";
import type { JobSettings } from "./plan";
import { startWorker, type RunningWorker } from "./run-worker";
import { startDistributedRun } from "./start-distributed-run";
import { waitForDistributedRun } from "./watch-distributed-run";
import { listEstate } from "@/lib/sources/source";

const config = DEFAULT_POSTURE_CONFIG;
const env = parseEnv({} as NodeJS.ProcessEnv);
const ESTATE = { clusters: 120, days: 12, seed: 11, endAt: "2026-03-01T02:00:00.000Z" };
const FAST_JOBS: Partial<JobSettings> = { expireInSeconds: 5, retryLimit: 2, retryDelaySeconds: 0 };

const estate = createDemoEstate({ ...ESTATE, endAt: new Date(ESTATE.endAt) });
const days: DemoRun[] = [...estate.runs()];
let failureDay: DemoRun;

const descriptor = (day: DemoRun, extra: Partial<DemoSourceDescriptor> = {}): DemoSourceDescriptor => ({ kind: "demo", ...ESTATE, dayIndex: day.dayIndex, ...extra });
const workerIn = async (db: TestDatabase, extra: { concurrency?: number; workerId?: string } = {}) => {
  const worker = await startWorker(db, { env, concurrency: extra.concurrency ?? 4, pollIntervalMs: 50, maintenanceIntervalSeconds: 1, workerId: extra.workerId });
  workers.push(worker);
  return worker;
};
const jobsOfRun = async (db: TestDatabase, runId: number, where = "true") =>
  (await db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${QUEUE_SCHEMA}.job WHERE (data->>'runId')::int = $1 AND ${where}`, [runId])).rows[0].n;

const databases: TestDatabase[] = [];
const workers: RunningWorker[] = [];
const newDatabase = async () => {
  const db = await createTestDatabase();
  databases.push(db);
  return db;
};

beforeAll(async () => {
  // The day a subscription's listing fails (the demo plans one in a 12-day estate), so the run has every kind of fault.
  for (const day of days.slice(1)) {
    if ((await listEstate(day.source)).some((listing) => !listing.ok)) {
      failureDay = day;
      break;
    }
  }
  expect(failureDay).toBeDefined();
});
afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop({ graceMs: 0 })));
  await Promise.all(databases.map((db) => db.close()));
});

/** The day before the failure day, in-process, so carry-forward and findings have a history. */
async function recordHistory(db: TestDatabase) {
  const previous = days[failureDay.dayIndex - 1];
  await runCollection(db, { source: previous.source, capturedAt: previous.capturedAt, config });
}

describe("a distributed run writes what an in-process run writes", () => {
  test("same snapshots, findings, faults and KPIs; no staging left", async () => {
    const [classic, distributed] = await Promise.all([newDatabase(), newDatabase()]);
    await Promise.all([recordHistory(classic), recordHistory(distributed)]);
    const reference = await runCollection(classic, { source: failureDay.source, capturedAt: failureDay.capturedAt, config });

    const started = await startDistributedRun(distributed, { source: descriptor(failureDay), capturedAt: failureDay.capturedAt, config, env, jobs: FAST_JOBS });
    expect(started.status).toBe("running");
    await workerIn(distributed);
    const result = await waitForDistributedRun(distributed, started.runId, { pollMs: 50 });

    expect(result.status).toBe("completed");
    expect(result.subscriptionsFailed).toBe(1);
    expect(result.faults.some((f) => f.scope === "in-cluster")).toBe(true);
    expect({ ...result, runId: 0, durationMs: 0, faults: [] }).toEqual({ ...reference, runId: 0, durationMs: 0, faults: [] });
    const expected = await describeRunOutcome(classic, reference.runId);
    const actual = await describeRunOutcome(distributed, started.runId);
    expect(actual).toEqual(expected);
    // Not vacuous: every cluster, a carried-forward in-cluster state, findings opened and resolved.
    expect(actual.snapshots).toHaveLength(reference.clustersSeen);
    expect(reference.clustersSeen).toBeGreaterThan(80);
    expect(actual.snapshots.some((s) => s.in_cluster_captured_at !== null)).toBe(true);
    expect(actual.findings.length).toBeGreaterThan(0);
    expect(actual.stagingRows).toBe(0);
    expect(actual.duplicateSnapshots).toBe(0);
    const asOf = new Date(failureDay.capturedAt.getTime() + 3_600_000);
    for (const by of ["all", "subscription", "owner"] as const) {
      expect(await getKpis(distributed, { asOf, by })).toEqual(await getKpis(classic, { asOf, by }));
    }
  });
});

describe("inventory through Resource Graph: one job per batch of subscriptions", () => {
  test("auto above the threshold queues one inventory job for the batch; the outcome is an in-process run's", async () => {
    const [classic, distributed] = await Promise.all([newDatabase(), newDatabase()]);
    await Promise.all([recordHistory(classic), recordHistory(distributed)]);
    const reference = await runCollection(classic, { source: failureDay.source, capturedAt: failureDay.capturedAt, config });

    const source = descriptor(failureDay, { inventory: "auto", resourceGraphThreshold: 2 });
    const started = await startDistributedRun(distributed, { source, capturedAt: failureDay.capturedAt, config, env, jobs: FAST_JOBS });
    const subscriptions = (await listEstate(failureDay.source)).map((l) => l.subscriptionId.toLowerCase());
    expect(subscriptions.length).toBeGreaterThan(2);
    expect(started).toMatchObject({ status: "running", subscriptions: subscriptions.length, inventory: "resource-graph", listingJobs: 1 });
    const queued = await distributed.pool.query(`SELECT data FROM ${QUEUE_SCHEMA}.job WHERE (data->>'runId')::int = $1`, [started.runId]);
    expect(queued.rows.map((row) => row.data)).toEqual([{ type: "inventory", runId: started.runId, subscriptionIds: expect.arrayContaining(subscriptions) }]);

    await workerIn(distributed);
    const result = await waitForDistributedRun(distributed, started.runId, { pollMs: 50 });
    expect({ ...result, runId: 0, durationMs: 0, faults: [] }).toEqual({ ...reference, runId: 0, durationMs: 0, faults: [] });
    expect(await describeRunOutcome(distributed, started.runId)).toEqual(await describeRunOutcome(classic, reference.runId));
    // At or under the threshold, auto keeps one listing job per subscription.
    const next = days[failureDay.dayIndex + 1];
    const perSubscription = await startDistributedRun(distributed, { source: descriptor(next, { inventory: "auto", resourceGraphThreshold: subscriptions.length }), capturedAt: next.capturedAt, config, env, jobs: FAST_JOBS });
    expect(perSubscription).toMatchObject({ inventory: "arm", listingJobs: subscriptions.length });
    expect(await jobsOfRun(distributed, perSubscription.runId, "data->>'type' = 'list'")).toBe(subscriptions.length);
  });

  test("a batch done again stages nothing twice; an exhausted batch fails only the listings still pending", async () => {
    const db = await newDatabase();
    await recordHistory(db);
    const started = await startDistributedRun(db, { source: descriptor(failureDay, { inventory: "resource-graph" }), capturedAt: failureDay.capturedAt, config, env, jobs: FAST_JOBS });
    const runId = started.runId;
    const boss = await openJobQueue(db.pool, { supervise: false });
    const context: JobContext = { db, staging: db.pool, boss, env, workerId: "test:1", signal: new AbortController().signal, log: () => {} };
    const [subA, subB, subC] = (await listEstate(failureDay.source)).filter((l) => l.ok && l.clusters.length > 0).map((l) => l.subscriptionId.toLowerCase());
    const listings = async () => (await db.pool.query(`SELECT subscription_id, state, attempts FROM distributed_listings WHERE run_id = $1 ORDER BY subscription_id`, [runId])).rows;
    const readJobs = () => jobsOfRun(db, runId, "data->>'type' = 'read'");

    await handleJob(context, { type: "inventory", runId, subscriptionIds: [subA, subB] });
    const afterFirst = await listings();
    const reads = await readJobs();
    expect(afterFirst.filter((row) => row.state === "listed").map((row) => row.subscription_id).sort()).toEqual([subA, subB].sort());
    expect(reads).toBeGreaterThan(0);
    // The same batch again (retried after its worker died): both are settled, nothing is listed or staged again.
    await handleJob(context, { type: "inventory", runId, subscriptionIds: [subA, subB] });
    expect(await listings()).toEqual(afterFirst);
    expect(await readJobs()).toBe(reads);

    // A batch that exhausted its retries: B was settled by the batch above and stays listed; C fails.
    await handleExhaustedJob(context, { type: "inventory", runId, subscriptionIds: [subB, subC] }, "job failed by timeout in active state");
    expect((await listings()).find((row) => row.subscription_id === subB)?.state).toBe("listed");
    expect((await listings()).find((row) => row.subscription_id === subC)?.state).toBe("failed");
    await boss.stop({ graceful: false, close: false });

    await workerIn(db);
    const result = await waitForDistributedRun(db, runId, { pollMs: 50 });
    expect(result.status).toBe("completed");
    expect(result.faults).toContainEqual({
      scope: "subscription",
      target: subC,
      cause: "unknown",
      message: "the Resource Graph inventory of this subscription's batch did not finish after 3 attempts: job failed by timeout in active state",
    });
  });
});

describe("the run slot: two runs never write at the same time", () => {
  test("a distributed run in progress keeps other runs out; one past its deadline is abandoned by the next run, and its jobs do nothing", async () => {
    const db = await newDatabase();
    await recordHistory(db);
    const started = await startDistributedRun(db, { source: descriptor(failureDay), capturedAt: failureDay.capturedAt, config, env, jobs: FAST_JOBS });
    expect(started.status).toBe("running");
    const next = days[failureDay.dayIndex + 1];
    await expect(runCollection(db, { source: next.source, capturedAt: next.capturedAt, config })).rejects.toThrow(
      /Another collection run \(#\d+, demo, distributed, started .*\) is in progress/,
    );
    await expect(startDistributedRun(db, { source: descriptor(next), capturedAt: next.capturedAt, config, env })).rejects.toThrow(/Another collection run/);

    // Its deadline passes with no worker: the next run takes the slot and abandons it with its staging rows.
    await db.pool.query(`UPDATE collection_runs SET deadline_at = now() - interval '1 second' WHERE id = $1`, [started.runId]);
    expect((await runCollection(db, { source: next.source, capturedAt: next.capturedAt, config })).status).toBe("completed");
    const { rows } = await db.pool.query(`SELECT status, failure_message FROM collection_runs WHERE id = $1`, [started.runId]);
    expect(rows[0]).toEqual({ status: "failed", failure_message: expect.stringMatching(/did not complete before its deadline/) });
    expect((await describeRunOutcome(db, started.runId)).stagingRows).toBe(0);

    // Its listing jobs are still queued: a worker drains them without writing anything.
    await workerIn(db);
    await expect.poll(() => jobsOfRun(db, started.runId, "state <> 'completed'"), { timeout: 20_000 }).toBe(0);
    const outcome = await describeRunOutcome(db, started.runId);
    expect([outcome.snapshots.length, outcome.stagingRows, outcome.run.status]).toEqual([0, 0, "failed"]);
  });

  test("an in-process run with --wait queues behind a distributed run and starts once it has completed", async () => {
    const db = await newDatabase();
    await recordHistory(db);
    const started = await startDistributedRun(db, { source: descriptor(failureDay), capturedAt: failureDay.capturedAt, config, env, jobs: FAST_JOBS });
    const next = days[failureDay.dayIndex + 1];
    const waiting = runCollection(db, { source: next.source, capturedAt: next.capturedAt, config, wait: true });
    await workerIn(db);
    const [distributed, queued] = await Promise.all([waitForDistributedRun(db, started.runId, { pollMs: 50 }), waiting]);
    expect([distributed.status, queued.status]).toEqual(["completed", "completed"]);
    const { rows } = await db.pool.query<{ started_at: Date; finished_at: Date }>(`SELECT started_at, finished_at FROM collection_runs WHERE id = ANY($1) ORDER BY id`, [
      [started.runId, queued.runId],
    ]);
    expect(rows[1].started_at.getTime()).toBeGreaterThanOrEqual(rows[0].finished_at.getTime());
  });
});

describe("retries change nothing that is settled; exhausted jobs are faults and the run completes", () => {
  test("a listing or read done twice stages once; an exhausted read carries forward, an exhausted listing is a failed listing", async () => {
    const db = await newDatabase();
    await recordHistory(db);
    const history = days[failureDay.dayIndex - 1];
    const started = await startDistributedRun(db, { source: descriptor(failureDay), capturedAt: failureDay.capturedAt, config, env, jobs: FAST_JOBS });
    const runId = started.runId;
    const boss = await openJobQueue(db.pool, { supervise: false });
    const context: JobContext = { db, staging: db.pool, boss, env, workerId: "test:1", signal: new AbortController().signal, log: () => {} };
    const listed = (await listEstate(failureDay.source)).filter((l) => l.ok && l.clusters.length > 1);
    const [subA, subB] = listed.map((l) => l.subscriptionId.toLowerCase());
    const staged = async () =>
      (await db.pool.query(`SELECT cluster_key, attempts, state, settled_at, result::text AS result, faults FROM distributed_clusters WHERE run_id = $1 AND subscription_id = $2 ORDER BY cluster_key`, [runId, subA])).rows;

    await handleJob(context, { type: "list", runId, subscriptionId: subA });
    const afterFirst = await staged();
    const readJobs = await jobsOfRun(db, runId, "data->>'type' = 'read'");
    expect(afterFirst.length).toBeGreaterThan(1);
    expect(readJobs).toBe(afterFirst.length);
    // The same listing job again (pg-boss retried it after its worker died): no second listing, no new rows or jobs.
    await handleJob(context, { type: "list", runId, subscriptionId: subA });
    expect(await staged()).toEqual(afterFirst);
    expect(await jobsOfRun(db, runId, "data->>'type' = 'read'")).toBe(readJobs);
    expect((await db.pool.query(`SELECT attempts FROM distributed_listings WHERE run_id = $1 AND subscription_id = $2`, [runId, subA])).rows[0].attempts).toBe(1);

    // A read done twice: the first result stands.
    const [first, second] = afterFirst.map((row) => row.cluster_key as string);
    await handleJob(context, { type: "read", runId, clusterKey: first });
    const settled = (await staged()).find((row) => row.cluster_key === first)!;
    await handleJob(context, { type: "read", runId, clusterKey: first });
    expect((await staged()).find((row) => row.cluster_key === first)).toEqual(settled);
    expect(settled).toMatchObject({ state: "done", attempts: 1 });

    // A read that exhausted its retries: an in-cluster fault, and yesterday's objects are judged.
    const previous = await db.pool.query(`SELECT 1 FROM snapshots s JOIN clusters c ON c.id = s.cluster_id WHERE c.key = $1 AND s.in_cluster_doc_hash IS NOT NULL`, [second]);
    await handleExhaustedJob(context, { type: "read", runId, clusterKey: second }, "connection reset");
    const exhausted = (await staged()).find((row) => row.cluster_key === second)!;
    expect(exhausted.faults).toEqual([{ scope: "in-cluster", target: second, cause: "unknown", message: "reading in-cluster objects did not finish after 3 attempts: connection reset" }]);
    expect(JSON.parse(exhausted.result).inClusterCapturedAt).toBe(previous.rowCount ? history.capturedAt.toISOString() : null);

    // A listing that exhausted its retries counts as failed; a late attempt of it changes nothing.
    await handleExhaustedJob(context, { type: "list", runId, subscriptionId: subB }, "job failed by timeout in active state");
    await handleJob(context, { type: "list", runId, subscriptionId: subB });
    expect((await db.pool.query(`SELECT count(*)::int AS n FROM distributed_clusters WHERE run_id = $1 AND subscription_id = $2`, [runId, subB])).rows[0].n).toBe(0);
    await boss.stop({ graceful: false, close: false });

    await workerIn(db);
    const result = await waitForDistributedRun(db, runId, { pollMs: 50 });
    expect(result.status).toBe("completed");
    expect(result.subscriptionsFailed).toBe(2);
    expect(result.faults).toEqual(
      expect.arrayContaining([
        { scope: "subscription", target: subB, cause: "unknown", message: "listing AKS clusters did not finish after 3 attempts: job failed by timeout in active state" },
        { scope: "in-cluster", target: second, cause: "unknown", message: "reading in-cluster objects did not finish after 3 attempts: connection reset" },
      ]),
    );
    // Nothing of the subscription that could not be listed is deleted or snapshotted: it carries forward.
    const subBClusters = await db.pool.query(`SELECT deleted_at FROM clusters WHERE subscription_id = $1`, [subB]);
    expect(subBClusters.rowCount).toBeGreaterThan(0);
    expect(subBClusters.rows.every((row) => row.deleted_at === null)).toBe(true);
    const outcome = await describeRunOutcome(db, runId);
    expect(outcome.snapshots.some((s) => s.subscription_id === subB)).toBe(false);
    expect([outcome.duplicateSnapshots, outcome.stagingRows]).toEqual([0, 0]);
  });

  test("a settled run whose finalizing job went missing is finalized by a worker's sweep", async () => {
    const db = await newDatabase();
    await recordHistory(db);
    const started = await startDistributedRun(db, { source: descriptor(failureDay), capturedAt: failureDay.capturedAt, config, env, jobs: FAST_JOBS });
    const boss = await openJobQueue(db.pool, { supervise: false });
    const context: JobContext = { db, staging: db.pool, boss, env, workerId: "test:1", signal: new AbortController().signal, log: () => {} };
    // Every job done by hand, then the finalizing job removed: as if both last reads had skipped asking.
    const { rows: listings } = await db.pool.query<{ subscription_id: string }>(`SELECT subscription_id FROM distributed_listings WHERE run_id = $1`, [started.runId]);
    for (const listing of listings) await handleJob(context, { type: "list", runId: started.runId, subscriptionId: listing.subscription_id });
    const { rows: clusters } = await db.pool.query<{ cluster_key: string }>(`SELECT cluster_key FROM distributed_clusters WHERE run_id = $1`, [started.runId]);
    for (const cluster of clusters) await handleJob(context, { type: "read", runId: started.runId, clusterKey: cluster.cluster_key });
    await db.pool.query(`DELETE FROM ${QUEUE_SCHEMA}.job`);
    await boss.stop({ graceful: false, close: false });

    await workerIn(db);
    const result = await waitForDistributedRun(db, started.runId, { pollMs: 50 });
    expect(result.status).toBe("completed");
    expect(result.clustersSeen).toBe(clusters.length);
  });

  test("a finalizer that keeps failing rolls back every time: the run fails and KPIs never see any of it", async () => {
    const db = await newDatabase();
    await recordHistory(db);
    const asOf = new Date(failureDay.capturedAt.getTime() + 3_600_000);
    const before = await getKpis(db, { asOf });
    // Fail the write after snapshots and clusters went in: posture intervals come later in the transaction.
    await db.pool.query(`CREATE FUNCTION fail_intervals() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'disk full'; END; $$`);
    await db.pool.query(`CREATE TRIGGER fail_intervals BEFORE INSERT OR UPDATE ON posture_intervals FOR EACH ROW EXECUTE FUNCTION fail_intervals()`);
    const started = await startDistributedRun(db, { source: descriptor(failureDay), capturedAt: failureDay.capturedAt, config, env, jobs: { ...FAST_JOBS, retryLimit: 1 } });
    await workerIn(db);
    const result = await waitForDistributedRun(db, started.runId, { pollMs: 50 });
    expect(result.status).toBe("failed");
    const outcome = await describeRunOutcome(db, started.runId);
    expect(outcome.run.failure_message).toBe("The run could not be written after 2 attempts: disk full");
    expect([outcome.snapshots.length, outcome.stagingRows]).toEqual([0, 0]);
    expect(await jobsOfRun(db, started.runId, "data->>'type' = 'finalize' AND retry_count = 1")).toBe(1);
    expect(await getKpis(db, { asOf })).toEqual(before);
  });
});

describe("a reset store", () => {
  test("numbers runs from 1 again: the finished jobs of the forgotten run #1 do not stand in for the new run #1's", async () => {
    const db = await newDatabase();
    await workerIn(db);
    const first = await startDistributedRun(db, { source: descriptor(failureDay), capturedAt: failureDay.capturedAt, config, env, jobs: FAST_JOBS });
    expect((await waitForDistributedRun(db, first.runId, { pollMs: 50 })).status).toBe("completed");
    await resetStore(db);
    const again = await startDistributedRun(db, { source: descriptor(failureDay), capturedAt: failureDay.capturedAt, config, env, jobs: FAST_JOBS });
    expect(again.runId).toBe(first.runId);
    const result = await waitForDistributedRun(db, again.runId, { pollMs: 50 });
    expect(result.status).toBe("completed");
    expect((await describeRunOutcome(db, again.runId)).snapshots).toHaveLength(result.clustersSeen);
  });
});

describe("stopping a worker", () => {
  test("a stopped worker hands its unfinished jobs back and another worker completes the run, with no fault for them", async () => {
    const db = await newDatabase();
    await recordHistory(db);
    const started = await startDistributedRun(db, {
      source: descriptor(failureDay, { latencyMs: 400 }),
      capturedAt: failureDay.capturedAt,
      config,
      env,
      jobs: FAST_JOBS,
    });
    const first = await workerIn(db, { concurrency: 3, workerId: "first:1" });
    const claimedByFirst = async () =>
      (await db.pool.query(`SELECT count(*)::int AS n FROM distributed_clusters WHERE run_id = $1 AND claimed_by = 'first:1' AND state = 'pending'`, [started.runId])).rows[0].n;
    await expect.poll(claimedByFirst, { timeout: 20_000, interval: 10 }).toBeGreaterThan(0);
    await first.stop({ graceMs: 0 });
    expect(first.stats().active).toBe(0);

    await workerIn(db, { concurrency: 32, workerId: "second:1" });
    const result = await waitForDistributedRun(db, started.runId, { pollMs: 50 });
    expect(result.status).toBe("completed");
    expect(result.faults.filter((f) => /the worker stopped|the job exceeded|did not finish after/.test(f.message))).toEqual([]);
    expect(await jobsOfRun(db, started.runId, "retry_count > 0")).toBeGreaterThan(0);
  });
});
