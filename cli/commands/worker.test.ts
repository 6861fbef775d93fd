// `bulkhead collect --distributed` and `bulkhead worker` as an operator runs them: the real bin in
// child processes, against the fake ARM and API servers (a 429, a 403 subscription, an unreachable
// API server), compared with `bulkhead collect` of the same estate.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { describeRunOutcome } from "@/testing/describe-run-outcome";
import { QUEUE_SCHEMA } from "@/lib/collector/distributed/job-queue";
import { pollUntil, spawnWorkerProcess, type WorkerProcess } from "@/testing/worker-processes";
import { dumpStore } from "@/testing/fake-azure/dump-store";
import { loadDemoFakeEstate } from "@/testing/fake-azure/demo-estate";
import { startFakeAzure, type FakeAzure } from "@/testing/fake-azure/start-fake-azure";
import { setupTestDatabase } from "@/testing/setup-test-database";
import { runCli } from "@/testing/run-cli";

const distributed = setupTestDatabase();
const classic = setupTestDatabase();
let fake: FakeAzure;
let work: string;
let env: Record<string, string>;
const workers: WorkerProcess[] = [];

beforeAll(async () => {
  fake = await startFakeAzure(await loadDemoFakeEstate());
  work = await mkdtemp(path.join(tmpdir(), "bulkhead-worker-"));
  const caFile = path.join(work, "fake-ca.pem");
  await writeFile(caFile, fake.caCertificate);
  env = { ...fake.env, NODE_EXTRA_CA_CERTS: caFile, BULKHEAD_KUBE_TIMEOUT_SECONDS: "10" };
});
afterAll(async () => {
  for (const worker of workers) worker.child.kill("SIGKILL");
  await Promise.all(workers.map((worker) => worker.exited));
  await fake?.close();
  await rm(work, { recursive: true, force: true });
});

const startWorker = () => {
  const worker = spawnWorkerProcess({ databaseUrl: distributed.url, env, args: ["--concurrency", "4", "--poll-interval", "200", "--maintenance-interval", "1"] });
  workers.push(worker);
  return worker;
};
/** What two runs of the same estate at different times share: everything but the times. */
const timeless = (value: unknown): unknown =>
  JSON.parse(JSON.stringify(value, (key, v) => (/(_at|_from|_to|^at)$/.test(key) ? undefined : v)));

test("collect --distributed with two workers: progress, the summary of an in-process run, the same store; no secret in a job, a log or the store", async () => {
  const pair = [startWorker(), startWorker()];
  const run = await runCli(["collect", "--distributed", "--job-timeout", "60"], { ...env, DATABASE_URL: distributed.url });
  const reference = await runCli(["collect"], { ...env, DATABASE_URL: classic.url });

  expect(run.code).toBe(0);
  expect(run.stderr).toMatch(/^collect: run #1 queued: 3 subscription\(s\) to list; `bulkhead worker` processes do the work$/m);
  expect(run.stderr).toMatch(/^collect: listing AKS clusters in 3 subscription\(s\)$/m);
  // Progress is polled from the store (once a second): which intermediate lines appear depends on timing.
  // The same summary as `bulkhead collect` prints for the same estate.
  const summary = (stderr: string) => stderr.slice(stderr.indexOf("Run #")).replace(/ in [\d.]+ s \(captured [^)]+\)/, "");
  expect(summary(run.stderr)).toBe(summary(reference.stderr));
  expect(run.stderr).toMatch(/subscriptions listed: 2, failed: 1/);
  expect(run.stderr).toMatch(/clusters seen: 7, in-cluster coverage: 6\/7 \(85\.7%\), deleted: 0/);
  expect(run.stderr).toMatch(/errors: 2 \(forbidden: 1, unreachable: 1\)/);
  expect(run.stdout).toBe("");

  const [actual, expected] = await Promise.all([describeRunOutcome(distributed, 1), describeRunOutcome(classic, 1)]);
  expect(timeless(actual)).toEqual(timeless(expected));
  expect(actual.stagingRows).toBe(0);
  // Both workers took part.
  const { rows } = await distributed.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${QUEUE_SCHEMA}.job WHERE state = 'completed'`);
  expect(rows[0].n).toBe(3 + 7 + 1); // listings, in-cluster reads, the finalizer

  for (const worker of pair) worker.child.kill("SIGTERM");
  expect(await Promise.all(pair.map((worker) => worker.exited))).toEqual([0, 0]);
  const jobs = await distributed.pool.query<{ job: string }>(`SELECT row_to_json(j)::text AS job FROM ${QUEUE_SCHEMA}.job j`);
  const plan = await distributed.pool.query<{ plan: string }>(`SELECT distributed_plan::text AS plan FROM collection_runs`);
  const everything = [await dumpStore(distributed), ...jobs.rows.map((r) => r.job), ...plan.rows.map((r) => r.plan), run.stderr, ...pair.map((w) => w.output())].join("\n");
  for (const secret of fake.secrets) expect(everything).not.toContain(secret);
});

test("--no-wait returns with the run id; the queued run keeps other runs out (exit 3) until a worker completes it; nothing listable fails the run (exit 1)", async () => {
  // No worker of the previous test may pick the run up.
  for (const worker of workers) worker.child.kill("SIGKILL");
  await Promise.all(workers.map((worker) => worker.exited));
  const queued = await runCli(["collect", "--distributed", "--no-wait", "--no-kube"], { ...env, BULKHEAD_AKS_TOKEN: "", DATABASE_URL: distributed.url });
  expect(queued.code).toBe(0);
  const runId = Number(queued.stdout.trim());
  expect(runId).toBe(2);

  // No worker runs now: the run is in progress, and an in-process run is refused.
  const busy = await runCli(["collect", "--no-kube"], { ...env, BULKHEAD_AKS_TOKEN: "", DATABASE_URL: distributed.url });
  expect(busy.code).toBe(3);
  expect(busy.stderr).toMatch(/Another collection run \(#2, azure, distributed, started .*\) is in progress/);

  const worker = startWorker();
  const status = async () => (await distributed.pool.query<{ status: string }>(`SELECT status FROM collection_runs WHERE id = $1`, [runId])).rows[0].status;
  await pollUntil("the queued run to complete", async () => (await status()) === "completed", { timeoutMs: 60_000, intervalMs: 100 });
  const outcome = await describeRunOutcome(distributed, runId);
  expect(outcome.run).toMatchObject({ subscriptions_listed: 2, subscriptions_failed: 1, clusters_seen: 7, clusters_with_in_cluster: 0 });

  // Only a subscription that answers 403: the run fails as an in-process run does, exit 1.
  const forbidden = await runCli(["collect", "--distributed", "--no-kube", "--subscription", "c0ffee00-0000-4000-8000-00000000f403"], {
    ...env,
    BULKHEAD_AKS_TOKEN: "",
    DATABASE_URL: distributed.url,
  });
  expect(forbidden.code).toBe(1);
  expect(forbidden.stderr).toMatch(/Run #3 failed/);
  const failed = await describeRunOutcome(distributed, 3);
  expect(failed.run).toMatchObject({ status: "failed", failure_message: expect.stringMatching(/^Nothing could be collected: listing AKS clusters: HTTP 403/) });
  expect([failed.snapshots.length, failed.stagingRows]).toEqual([0, 0]);
  worker.child.kill("SIGTERM");
  expect(await worker.exited).toBe(0);
});
