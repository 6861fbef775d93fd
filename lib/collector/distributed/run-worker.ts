import { hostname } from "node:os";
import pg from "pg";
import type { JobWithMetadata } from "pg-boss";
import type { Database } from "@/lib/db/client";
import type { Env } from "@/lib/env";
import { SecretRedactor } from "@/lib/sources/azure/redact-secrets";
import { describeError } from "../read-estate";
import { handleExhaustedJob, handleJob, sweepSettledRuns, type JobContext } from "./handle-job";
import { COLLECT_QUEUE, EXHAUSTED_QUEUE, openJobQueue, QUEUE_SCHEMA } from "./job-queue";
import { jobDataSchema } from "./plan";

export interface WorkerOptions {
  env: Env;
  /** Jobs worked on at once. */
  concurrency: number;
  /** How often an idle worker looks for jobs. */
  pollIntervalMs?: number;
  /** How often expired jobs (of workers that died) are put back to be retried; pg-boss maintenance. */
  maintenanceIntervalSeconds?: number;
  workerId?: string;
  log?: (line: string) => void;
}

export interface RunningWorker {
  workerId: string;
  /**
   * Stops taking jobs and lets the current ones finish for up to `graceMs`; jobs still running then
   * are aborted and handed back to the queue (failed, so another worker retries them at once).
   */
  stop(options?: { graceMs?: number }): Promise<void>;
  /** Aborts the jobs still running now (a second Ctrl-C): they are failed and retried elsewhere. */
  abortActiveJobs(): void;
  /** Settles when the worker has stopped. */
  done: Promise<void>;
  stats(): { active: number; completed: number; failed: number };
}

export const DEFAULT_POLL_INTERVAL_MS = 1_000;
export const DEFAULT_MAINTENANCE_INTERVAL_SECONDS = 30;

interface ActiveJob {
  controller: AbortController;
  promise: Promise<void>;
}

interface FetchedJob {
  queue: string;
  job: JobWithMetadata<unknown>;
  /** pg-boss counts a job's expiry from its fetch. */
  expiresAt: number;
}

/** Finished jobs are marked completed in batches: one commit for many jobs. */
const COMPLETE_BATCH = 32;
const COMPLETE_DELAY_MS = 50;

/**
 * A `bulkhead worker`: takes jobs of the collect queue (and of its dead-letter queue) and does them,
 * `concurrency` at a time. Its own loop over pg-boss rather than `boss.work()`: it fetches ahead in
 * batches and completes in batches, so that a job costs a fraction of a commit of queue bookkeeping,
 * and a free slot takes the next job at once instead of waiting a polling interval.
 */
export async function startWorker(db: Database, options: WorkerOptions): Promise<RunningWorker> {
  const workerId = options.workerId ?? `${hostname()}:${process.pid}`;
  const log = options.log ?? (() => {});
  const pollIntervalMs = options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
  const concurrency = Math.max(1, options.concurrency);
  // Queue bookkeeping and staging writes commit without waiting for their WAL flush (see
  // docs/distributed-collection.md): losing the last of them in a database crash only makes jobs
  // run again. The run's own write (finalizing) goes through the store's pool, synchronously.
  const lazy = new pg.Pool({ ...db.pool.options, max: concurrency + 4, options: "-c synchronous_commit=off" });
  lazy.on("error", () => {});
  const boss = await openJobQueue(lazy, { supervise: true, maintenanceIntervalSeconds: options.maintenanceIntervalSeconds ?? DEFAULT_MAINTENANCE_INTERVAL_SECONDS });
  const redactor = new SecretRedactor();
  for (const secret of [options.env.BULKHEAD_ARM_TOKEN, options.env.BULKHEAD_AKS_TOKEN, options.env.AZURE_CLIENT_SECRET]) redactor.remember(secret);

  const active = new Map<string, ActiveJob>();
  const waiting: FetchedJob[] = [];
  const counts = { completed: 0, failed: 0 };
  let wake: (() => void) | null = null;
  const wakeUp = () => wake?.();
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wake = null;
        resolve();
      }
      wake = done;
    });

  // Completions wait up to COMPLETE_DELAY_MS for company. A worker that dies before they are
  // written leaves those jobs active: they expire and run again, which changes nothing settled.
  const completions = new Map<string, string[]>();
  let completionTimer: NodeJS.Timeout | null = null;
  let flushing: Promise<void> = Promise.resolve();
  const flushCompletions = () => {
    if (completionTimer) clearTimeout(completionTimer);
    completionTimer = null;
    const batches = [...completions.entries()];
    completions.clear();
    flushing = flushing.then(async () => {
      for (const [queue, ids] of batches) {
        await boss.complete(queue, ids).catch((error: unknown) => log(`could not mark ${ids.length} job(s) completed (they will run again): ${describeError(error)}`));
      }
    });
    return flushing;
  };
  const complete = (queue: string, id: string) => {
    const ids = completions.get(queue) ?? [];
    ids.push(id);
    completions.set(queue, ids);
    if (ids.length >= COMPLETE_BATCH) void flushCompletions();
    else completionTimer ??= setTimeout(() => void flushCompletions(), COMPLETE_DELAY_MS);
  };

  const abortActiveJobs = () => {
    for (const job of active.values()) job.controller.abort(new Error("the worker stopped before the job finished"));
  };

  const run = ({ queue, job, expiresAt }: FetchedJob) => {
    const controller = new AbortController();
    // pg-boss hands an attempt that outlives expireIn to another worker; stop working on it here too.
    const expiry = setTimeout(() => controller.abort(new Error(`the job exceeded its ${job.expireInSeconds} s`)), Math.max(0, expiresAt - Date.now()));
    const context: JobContext = { db, staging: lazy, boss, env: options.env, workerId, signal: controller.signal, log };
    const work = async () => {
      const data = jobDataSchema.parse(job.data);
      // pg-boss 12 keeps the failed attempt's output on the dead-letter copy as `sourceOutput`.
      if (queue === EXHAUSTED_QUEUE) await handleExhaustedJob(context, data, describeOutput(job.sourceOutput ?? job.output));
      else await handleJob(context, data);
    };
    const promise = work()
      .then(
        () => {
          counts.completed += 1;
          complete(queue, job.id);
        },
        async (error: unknown) => {
          counts.failed += 1;
          const message = redactor.redact(describeError(error));
          log(`job ${job.id} (${describeJob(job.data)}) failed, attempt ${job.retryCount + 1} of ${job.retryLimit + 1}: ${message}`);
          await boss.fail(queue, job.id, { message });
        },
      )
      .catch((error: unknown) => log(`could not record the end of job ${job.id}: ${describeError(error)}`))
      .finally(() => {
        clearTimeout(expiry);
        active.delete(job.id);
        wakeUp();
      });
    active.set(job.id, { controller, promise });
  };

  // Now and then (as often as pg-boss maintenance), make sure no settled run waits for its finalizer.
  const sweepEveryMs = (options.maintenanceIntervalSeconds ?? DEFAULT_MAINTENANCE_INTERVAL_SECONDS) * 1000;
  let sweptAt = Date.now();
  const sweep = async () => {
    if (Date.now() - sweptAt < sweepEveryMs) return;
    sweptAt = Date.now();
    await sweepSettledRuns({ staging: lazy, boss }).catch((error: unknown) => log(`looking for settled runs failed: ${describeError(error)}`));
  };

  let exhaustedCheckedAt = 0;
  const fetch = async (room: number) => {
    let taken = 0;
    // Dead letters are rare: looked for once per polling interval, before new work.
    const queues = Date.now() - exhaustedCheckedAt >= pollIntervalMs ? [EXHAUSTED_QUEUE, COLLECT_QUEUE] : [COLLECT_QUEUE];
    for (const queue of queues) {
      if (taken >= room || stopRequested.signal.aborted) break;
      if (queue === EXHAUSTED_QUEUE) exhaustedCheckedAt = Date.now();
      const fetchedAt = Date.now();
      const jobs = await boss.fetch<unknown>(queue, { batchSize: room - taken, includeMetadata: true, priority: true });
      for (const job of jobs) waiting.push({ queue, job, expiresAt: fetchedAt + job.expireInSeconds * 1000 });
      taken += jobs.length;
    }
    return taken;
  };

  const stopRequested = new AbortController();
  const loop = async () => {
    while (!stopRequested.signal.aborted) {
      await sweep();
      // Up to `concurrency` jobs run and as many wait their turn here; refill when half have started.
      let fetched = -1;
      if (waiting.length <= concurrency / 2) {
        try {
          fetched = await fetch(2 * concurrency - active.size - waiting.length);
        } catch (error) {
          log(`fetching jobs failed: ${describeError(error)}`);
        }
      }
      while (active.size < concurrency && waiting.length > 0 && !stopRequested.signal.aborted) run(waiting.shift()!);
      // Nothing new and nothing to start: wait for a free slot, a stop, or the next poll.
      if (fetched <= 0 && (active.size >= concurrency || waiting.length === 0)) await pause(pollIntervalMs);
    }
  };

  log(`worker ${workerId}: ready, ${concurrency} job(s) at a time`);
  const looping = loop();
  let resolveDone!: () => void;
  const done = new Promise<void>((resolve) => (resolveDone = resolve));
  let stopped: Promise<void> | null = null;
  const stop = ({ graceMs = 30_000 }: { graceMs?: number } = {}) =>
    (stopped ??= (async () => {
      stopRequested.abort();
      wakeUp();
      await looping;
      // Jobs fetched but not started go back to the queue untouched (no attempt counted).
      const unstarted = waiting.splice(0);
      await releaseJobs(lazy, unstarted).catch((error: unknown) => log(`could not hand back ${unstarted.length} job(s) (they will expire and run again): ${describeError(error)}`));
      if (active.size > 0) {
        log(`worker ${workerId}: stopping, waiting up to ${Math.round(graceMs / 1000)} s for ${active.size} job(s)`);
        const all = Promise.all([...active.values()].map((job) => job.promise));
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([all, new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)))]);
        clearTimeout(timer);
        // Whatever still runs is aborted and failed: pg-boss hands it to another worker at once.
        abortActiveJobs();
        await all;
      }
      await flushCompletions();
      await boss.stop({ graceful: false, close: false });
      await lazy.end();
      log(`worker ${workerId}: stopped (${counts.completed} job(s) done, ${counts.failed} failed)`);
      resolveDone();
    })());
  return { workerId, stop, done, abortActiveJobs, stats: () => ({ active: active.size, ...counts }) };
}

/**
 * Puts fetched, never-started jobs back as pg-boss would find them before the fetch, so no
 * attempt is counted for them. pg-boss has no call for this; it is
 * one update of its job table.
 */
async function releaseJobs(pool: pg.Pool, jobs: FetchedJob[]): Promise<void> {
  for (const queue of new Set(jobs.map((j) => j.queue))) {
    const ids = jobs.filter((j) => j.queue === queue).map((j) => j.job.id);
    await pool.query(
      // The fetch counted a retry when the job had started before (started_on set): undo exactly that.
      `UPDATE ${QUEUE_SCHEMA}.job
          SET state = CASE WHEN retry_count > 0 THEN 'retry' ELSE 'created' END::${QUEUE_SCHEMA}.job_state,
              retry_count = GREATEST(retry_count - 1, 0),
              started_on = CASE WHEN retry_count > 0 THEN started_on END
        WHERE name = $1 AND id = ANY($2::uuid[]) AND state = 'active'`,
      [queue, ids],
    );
  }
}

function describeJob(data: unknown): string {
  const parsed = jobDataSchema.safeParse(data);
  if (!parsed.success) return "malformed job";
  const job = parsed.data;
  if (job.type === "inventory") return `run #${job.runId} inventory of ${job.subscriptionIds.length} subscription(s) through Resource Graph`;
  return job.type === "list" ? `run #${job.runId} listing ${job.subscriptionId}` : job.type === "read" ? `run #${job.runId} reading ${job.clusterKey}` : `run #${job.runId} finalizing`;
}

/** The error pg-boss recorded on a job's last attempt: ours (`{ message }`) or its timeout's (`{ value: { message } }`). */
function describeOutput(output: unknown): string {
  const record = output as { message?: unknown; value?: { message?: unknown } } | null | undefined;
  const message = record?.message ?? record?.value?.message;
  return typeof message === "string" ? message : "the job failed";
}
