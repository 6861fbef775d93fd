// Distributed collection as operators run it: real `bulkhead worker` processes on one store. Three
// share a run and one is killed with SIGKILL while it holds jobs; the run still completes, and what
// it wrote equals a single-worker run and an in-process run of the same input.
import { afterAll, beforeAll, expect, test } from "vitest";
import { getKpis } from "@/lib/kpi/get-kpis";
import { parseEnv } from "@/lib/env";
import { DEFAULT_POSTURE_CONFIG } from "@/lib/posture";
import { createDemoEstate, type DemoRun } from "@/lib/sources/demo";
import type { TestDatabase } from "@/testing/test-database";
import { setupTestDatabase } from "@/testing/setup-test-database";
import { runCollection, type RunCollectionResult } from "../run-collection";
import { describeRunOutcome } from "@/testing/describe-run-outcome";
import { QUEUE_SCHEMA } from "./job-queue";
import type { DemoSourceDescriptor } from "@/lib/sources/source-descriptor";
import { startDistributedRun } from "./start-distributed-run";
import { waitForDistributedRun } from "./watch-distributed-run";
import { pollUntil, spawnWorkerProcess, type WorkerProcess } from "@/testing/worker-processes";

const config = DEFAULT_POSTURE_CONFIG;
const env = parseEnv({} as NodeJS.ProcessEnv);
// 300 clusters in 15 subscriptions; on day 3 one subscription's listing fails, six in-cluster reads fail (five carry forward).
const ESTATE = { clusters: 300, days: 12, seed: 11, endAt: "2026-03-01T02:00:00.000Z" };
const DAY = 3;
// API-server latency per read, so that a worker always has reads in flight when it is killed.
const LATENCY_MS = 150;
// Short job expiry and maintenance so that the killed worker's jobs come back within seconds.
const JOBS = { expireInSeconds: 3, retryLimit: 3, retryDelaySeconds: 0 };
const WORKER_ARGS = ["--poll-interval", "100", "--maintenance-interval", "1", "--shutdown-grace", "10"];

const days: DemoRun[] = [...createDemoEstate({ ...ESTATE, endAt: new Date(ESTATE.endAt) }).runs()];
const target = days[DAY];
const descriptor: DemoSourceDescriptor = { kind: "demo", ...ESTATE, dayIndex: DAY, latencyMs: LATENCY_MS };

const classic = setupTestDatabase();
const single = setupTestDatabase();
const shared = setupTestDatabase();
let reference: RunCollectionResult;
const processes: WorkerProcess[] = [];

beforeAll(async () => {
  // A day of history first, so that failed reads carry forward and findings resolve.
  const history = days[DAY - 1];
  await Promise.all([classic, single, shared].map((db) => runCollection(db, { source: history.source, capturedAt: history.capturedAt, config })));
  reference = await runCollection(classic, { source: target.source, capturedAt: target.capturedAt, config });
});
afterAll(async () => {
  for (const worker of processes) worker.child.kill("SIGKILL");
  await Promise.all(processes.map((worker) => worker.exited));
});

function startWorkers(db: TestDatabase, count: number, concurrency: number): WorkerProcess[] {
  const started = Array.from({ length: count }, () => spawnWorkerProcess({ databaseUrl: db.url, args: ["--concurrency", String(concurrency), ...WORKER_ARGS] }));
  processes.push(...started);
  return started;
}

const query = async <T>(db: TestDatabase, sql: string, values: unknown[] = []) => (await db.pool.query(sql, values)).rows as T[];

test(
  "three worker processes share a run; one killed with SIGKILL mid-run loses nothing; the store equals a single-worker and an in-process run",
  async () => {
    // One worker alone on one store, three on another (started together: process start-up is most of the wait).
    const [alone] = startWorkers(single, 1, 12);
    const workers = startWorkers(shared, 3, 4);
    const [victim, ...survivors] = workers;
    // Runs start once every worker is up, so that the three share the run from its start.
    await pollUntil("the workers to start", () => [alone, ...workers].every((worker) => /ready/.test(worker.output())), { timeoutMs: 60_000 }).catch((error: Error) => {
      throw new Error(`${error.message}:\n${[alone, ...workers].map((worker) => worker.output()).join("\n---\n")}`);
    });
    const singleRun = await startDistributedRun(single, { source: descriptor, capturedAt: target.capturedAt, config, env, jobs: JOBS });
    const run = await startDistributedRun(shared, { source: descriptor, capturedAt: target.capturedAt, config, env, jobs: JOBS });
    expect([singleRun.status, run.status]).toEqual(["running", "running"]);
    const singleDone = waitForDistributedRun(single, singleRun.runId, { pollMs: 100 });

    // The first of the three is killed once every worker is busy and it holds reads in flight.
    type Claimer = { claimed_by: string; pending: number };
    const claimers = () =>
      query<Claimer>(
        shared,
        `SELECT claimed_by, count(*) FILTER (WHERE state = 'pending')::int AS pending FROM distributed_clusters WHERE run_id = $1 AND claimed_by IS NOT NULL GROUP BY claimed_by`,
        [run.runId],
      );
    const victimId = (rows: Claimer[]) => rows.find((row) => row.claimed_by.endsWith(`:${victim.pid}`));
    await pollUntil(
      "all three workers to take in-cluster jobs, the victim with some in flight",
      async () => {
        const rows = await claimers();
        return rows.length === 3 && (victimId(rows)?.pending ?? 0) > 0;
      },
      { timeoutMs: 60_000, intervalMs: 10 },
    );
    victim.child.kill("SIGKILL");
    expect(await victim.exited).toBe("SIGKILL");
    // What it held when it died: claimed, never settled.
    const orphaned = await query<{ cluster_key: string }>(shared, `SELECT cluster_key FROM distributed_clusters WHERE run_id = $1 AND claimed_by = $2 AND state = 'pending'`, [
      run.runId,
      victimId(await claimers())!.claimed_by,
    ]);
    expect(orphaned.length).toBeGreaterThan(0);

    const result = await waitForDistributedRun(shared, run.runId, { pollMs: 100 });
    expect(result.status).toBe("completed");
    // Its jobs expired and were retried by the survivors (pg-boss counts the attempt), and none exhausted its retries.
    const retried = await query<{ key: string }>(
      shared,
      `SELECT data->>'clusterKey' AS key FROM ${QUEUE_SCHEMA}.job WHERE (data->>'runId')::int = $1 AND retry_count > 0 AND state = 'completed'`,
      [run.runId],
    );
    expect(retried.map((row) => row.key)).toEqual(expect.arrayContaining(orphaned.map((row) => row.cluster_key)));
    // The finalizing job completes just after its commit; then every job of the run is done, none failed for good.
    await pollUntil("every job of the run to be completed", async () => (await query(shared, `SELECT 1 FROM ${QUEUE_SCHEMA}.job WHERE (data->>'runId')::int = $1 AND state <> 'completed'`, [run.runId])).length === 0);
    expect(await query(shared, `SELECT 1 FROM ${QUEUE_SCHEMA}.job WHERE name = 'bulkhead-collect-exhausted'`)).toEqual([]);

    const singleResult = await singleDone;
    // SIGTERM: a graceful stop, exit 0.
    for (const worker of [alone, ...survivors]) worker.child.kill("SIGTERM");
    expect(await Promise.all([alone, ...survivors].map((worker) => worker.exited))).toEqual([0, 0, 0]);
    expect(alone.output()).toMatch(/stopped \(\d+ job\(s\) done, 0 failed\)/);

    // The same run, three ways.
    const strip = (r: RunCollectionResult) => ({ ...r, runId: 0, durationMs: 0, faults: [] });
    expect(strip(result)).toEqual(strip(reference));
    expect(strip(singleResult)).toEqual(strip(reference));
    const expected = await describeRunOutcome(classic, reference.runId);
    const fromOne = await describeRunOutcome(single, singleRun.runId);
    const fromThree = await describeRunOutcome(shared, run.runId);
    expect(fromOne).toEqual(expected);
    expect(fromThree).toEqual(expected);
    expect(fromThree.snapshots).toHaveLength(reference.clustersSeen);
    expect(reference.clustersSeen).toBeGreaterThan(200);
    expect([fromThree.duplicateSnapshots, fromThree.stagingRows, fromThree.run.status]).toEqual([0, 0, "completed"]);
    // The partial failures are there, once each: a failed listing, failed reads that carried forward.
    expect(fromThree.errors.filter((e) => e.scope === "subscription")).toHaveLength(1);
    expect(fromThree.snapshots.filter((s) => s.in_cluster_captured_at !== null).length).toBeGreaterThan(0);
    const asOf = new Date(target.capturedAt.getTime() + 3_600_000);
    for (const by of ["all", "subscription", "owner"] as const) {
      const kpis = await getKpis(classic, { asOf, by });
      expect(await getKpis(single, { asOf, by })).toEqual(kpis);
      expect(await getKpis(shared, { asOf, by })).toEqual(kpis);
    }
  },
  180_000,
);
