import { createHash } from "node:crypto";
import type pg from "pg";
import { PgBoss, type JobInsert } from "pg-boss";
import type { DistributedPlan, JobData } from "./plan";

/** pg-boss keeps its tables in this schema of the store's database (docs/distributed-collection.md). */
export const QUEUE_SCHEMA = "bulkhead_queue";
/** Listing, in-cluster and finalizing jobs, highest priority first. */
export const COLLECT_QUEUE = "bulkhead-collect";
/** pg-boss moves a job here once it has exhausted its retries; the run records it as a fault. */
export const EXHAUSTED_QUEUE = "bulkhead-collect-exhausted";

const QUEUE_SETUP_LOCK_KEY = 0x42_48_51_55; // "BHQU"

const PRIORITY: Record<JobData["type"], number> = { finalize: 20, list: 10, inventory: 10, read: 0 };

export interface JobQueueOptions {
  /** Run pg-boss maintenance here (expiring jobs of dead workers, archiving): workers do, coordinators do not. */
  supervise: boolean;
  maintenanceIntervalSeconds?: number;
}

/**
 * pg-boss over one of the store's pools (no connections of its own), so that jobs can be inserted
 * inside the transaction that stages their work. Installs its schema and the two queues when missing.
 */
export async function openJobQueue(pool: pg.Pool, options: JobQueueOptions): Promise<PgBoss> {
  const boss = new PgBoss({
    db: { executeSql: (text: string, values: unknown[]) => pool.query(text, values) },
    schema: QUEUE_SCHEMA,
    schedule: false,
    supervise: options.supervise,
    migrate: true,
    ...(options.maintenanceIntervalSeconds ? { maintenanceIntervalSeconds: options.maintenanceIntervalSeconds } : {}),
  });
  // Maintenance errors (a lost connection) are retried on the next interval; they must not crash a worker.
  boss.on("error", () => {});
  await boss.start();
  // Creating a queue attaches a partition to pg-boss's job table; two processes creating the two
  // queues at once can deadlock. A session lock (held on its own connection) takes turns.
  const lock = await pool.connect();
  try {
    await lock.query("SELECT pg_advisory_lock($1)", [QUEUE_SETUP_LOCK_KEY]);
    try {
      if (!(await boss.getQueue(EXHAUSTED_QUEUE))) await boss.createQueue(EXHAUSTED_QUEUE);
      if (!(await boss.getQueue(COLLECT_QUEUE))) await boss.createQueue(COLLECT_QUEUE, { deadLetter: EXHAUSTED_QUEUE });
    } finally {
      await lock.query("SELECT pg_advisory_unlock($1)", [QUEUE_SETUP_LOCK_KEY]);
    }
  } finally {
    lock.release();
  }
  return boss;
}

/**
 * The idempotency key of a job: one id per (run, job type, subscription or cluster). pg-boss inserts
 * with ON CONFLICT DO NOTHING, so a retried listing job cannot enqueue a cluster twice. The run is
 * named by its plan's token, not only its id: a reset store numbers runs from 1 again, and the jobs
 * of a forgotten run #1 must not stand in for the new one's.
 */
export function jobIdFor(data: JobData, runToken: string): string {
  const key =
    data.type === "list" ? data.subscriptionId : data.type === "inventory" ? data.subscriptionIds.join(",") : data.type === "read" ? data.clusterKey : "";
  const bytes = createHash("sha256").update(`bulkhead:${runToken}:${data.type}:${data.runId}:${key}`).digest().subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x80; // UUID version 8 (custom), variant RFC 4122
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function toJobInsert(data: JobData, plan: Pick<DistributedPlan, "token" | "jobs">): JobInsert<JobData> {
  const settings = plan.jobs;
  return {
    id: jobIdFor(data, plan.token),
    data,
    priority: PRIORITY[data.type],
    retryLimit: settings.retryLimit,
    retryDelay: settings.retryDelaySeconds,
    expireInSeconds: data.type === "finalize" ? settings.finalizeExpireInSeconds : settings.expireInSeconds,
    deadLetter: EXHAUSTED_QUEUE,
  };
}

/** Inserts jobs through `client`, inside its transaction when it has one. Existing ids are skipped. */
export async function enqueueJobs(boss: PgBoss, client: pg.ClientBase | pg.Pool, jobs: JobData[], plan: Pick<DistributedPlan, "token" | "jobs">): Promise<void> {
  // One statement per few thousand jobs: the job list travels as one JSON parameter.
  for (let start = 0; start < jobs.length; start += 5_000) {
    await boss.insert(
      COLLECT_QUEUE,
      jobs.slice(start, start + 5_000).map((job) => toJobInsert(job, plan)),
      { db: { executeSql: (text: string, values: unknown[]) => client.query(text, values) } },
    );
  }
}
