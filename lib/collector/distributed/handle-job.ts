import type pg from "pg";
import type { PgBoss } from "pg-boss";
import type { Database } from "@/lib/db/client";
import type { Env } from "@/lib/env";
import { readClusterFacts } from "@/lib/posture";
import { openSource } from "@/lib/sources/open-source";
import type { DiscoveredSubscription, PostureSource } from "@/lib/sources/source";
import type { RunFault } from "../progress";
import { judgeClusterRead, parseSubscriptionListing, readClusterObjects } from "../read-estate";
import { afterRun, findPreviousInCluster, readRunPlanText, shareRunningRun } from "../run-record";
import { failDistributedRun, finalizeRun } from "./finalize-run";
import { readEstateCosts } from "../read-estate-costs";
import { enqueueJobs } from "./job-queue";
import { distributedPlanSchema, type DistributedPlan, type DistributedSourceDescriptor, type JobData } from "./plan";
import { claimCluster, claimListing, failListing, isRunSettled, listPendingClusterKeys, listSettledRuns, settleCluster, settleListing } from "./staging";

export interface JobContext {
  /** The store: the run's write, and reads of history. */
  db: Database;
  /** Staging writes and queue bookkeeping (may commit asynchronously; see run-worker.ts). */
  staging: pg.Pool;
  boss: PgBoss;
  env: Env;
  /** host:pid, recorded on the staging rows this worker claims. */
  workerId: string;
  signal: AbortSignal;
  log: (line: string) => void;
}

// Plans are immutable; a worker parses each once. Keyed by the plan's text, not the run id: a reset
// store starts run ids again from 1.
const plans = new Map<string, DistributedPlan>();

function parsePlan(text: string): DistributedPlan {
  let plan = plans.get(text);
  if (!plan) {
    plan = distributedPlanSchema.parse(JSON.parse(text));
    plans.set(text, plan);
    if (plans.size > 16) plans.delete(plans.keys().next().value!);
  }
  return plan;
}

async function loadPlan(pool: pg.Pool, runId: number): Promise<DistributedPlan | null> {
  const text = await readRunPlanText(pool, runId);
  return text ? parsePlan(text) : null;
}

// A worker serves many jobs of few runs: opening a source (planning a demo estate, a credential)
// once per run descriptor, not once per job, is most of the worker's speed.
const sources = new Map<string, Promise<PostureSource>>();
const SOURCES_KEPT = 4;

function openRunSource(descriptor: DistributedSourceDescriptor, env: Env): Promise<PostureSource> {
  const key = JSON.stringify(descriptor);
  let source = sources.get(key);
  if (!source) {
    source = openSource(descriptor, env);
    source.catch(() => sources.delete(key));
    sources.set(key, source);
    if (sources.size > SOURCES_KEPT) sources.delete(sources.keys().next().value!);
  }
  return source;
}

/** One job of the collect queue. Throwing fails the attempt; pg-boss retries it, then dead-letters it. */
export async function handleJob(context: JobContext, data: JobData): Promise<void> {
  // The most frequent job first: its claim brings the plan along.
  if (data.type === "read") return handleClusterRead(context, data.runId, data.clusterKey);
  const plan = await loadPlan(context.staging, data.runId);
  // A run that is gone (reset store) or not distributed has nothing to do.
  if (!plan) return;
  if (data.type === "list") await handleListings(context, plan, data.runId, [data.subscriptionId], "arm");
  else if (data.type === "inventory") await handleListings(context, plan, data.runId, data.subscriptionIds, "resource-graph");
  else await handleFinalize(context, plan, data.runId);
}

/**
 * A listing job (one subscription, managedClusters.list) or an inventory job (a batch, one Resource
 * Graph inventory): each subscription still pending is claimed, listed and settled with its
 * clusters' read jobs, all in one transaction. Subscriptions an earlier attempt settled are skipped.
 */
async function handleListings(context: JobContext, plan: DistributedPlan, runId: number, subscriptionIds: string[], inventory: "arm" | "resource-graph"): Promise<void> {
  const { staging } = context;
  const claimed: DiscoveredSubscription[] = [];
  for (const subscriptionId of subscriptionIds) {
    const claim = await claimListing(staging, runId, subscriptionId, context.workerId);
    if (claim) {
      claimed.push({ subscriptionId, displayName: claim.displayName ?? undefined });
      continue;
    }
    // Settled by an earlier attempt that may have died before its jobs completed: make sure the
    // clusters it staged have their jobs (existing ids are skipped).
    const keys = await listPendingClusterKeys(staging, runId, subscriptionId);
    await enqueueJobs(context.boss, staging, keys.map((clusterKey) => ({ type: "read", runId, clusterKey })), plan);
  }
  if (claimed.length === 0) {
    await requestFinalizeWhenSettled(context, plan, runId);
    return;
  }
  const source = await openRunSource(plan.source, context.env);
  const listings = await source.listClusters(inventory === "resource-graph" ? claimed : [claimed[0]], { inventory });
  context.signal.throwIfAborted();

  let staged = 0;
  const client = await staging.connect();
  try {
    await client.query("BEGIN");
    try {
      // Shares the run row with other listings; excludes the finalizer and an abandoning starter.
      if (!(await shareRunningRun(client, runId))) {
        await client.query("ROLLBACK");
        return;
      }
      for (const listing of listings) {
        const faults: RunFault[] = [];
        const { outcome, clusters } = parseSubscriptionListing(listing, plan.config, (fault) => faults.push(fault));
        if (!(await settleListing(client, runId, outcome, clusters, faults))) continue;
        // Staging and enqueueing commit together: a listing is never settled without its in-cluster jobs.
        await enqueueJobs(context.boss, client, clusters.map((c) => ({ type: "read", runId, clusterKey: c.facts.key })), plan);
        staged += clusters.length;
      }
      await client.query("COMMIT");
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {});
      throw error;
    }
  } finally {
    client.release();
  }
  if (staged === 0) await requestFinalizeWhenSettled(context, plan, runId);
}

async function handleClusterRead(context: JobContext, runId: number, clusterKey: string): Promise<void> {
  const { db, staging } = context;
  const claimed = await claimCluster(staging, runId, clusterKey, context.workerId);
  if (!claimed) {
    // Settled by an earlier attempt, or the run is gone: only make sure the run is not left unfinalized.
    const plan = await loadPlan(staging, runId);
    if (plan) await requestFinalizeWhenSettled(context, plan, runId);
    return;
  }
  const plan = parsePlan(claimed.planText);
  const facts = readClusterFacts(claimed.raw, plan.config);
  const source = await openRunSource(plan.source, context.env);
  const read = await readClusterObjects(source, facts, context.signal);
  // A read cut short by this worker stopping is not the cluster's fault: let another worker retry it.
  context.signal.throwIfAborted();
  const faults: RunFault[] = [];
  const cluster = await judgeClusterRead({
    raw: claimed.raw,
    facts,
    read,
    config: plan.config,
    previousInCluster: (key) => findPreviousInCluster(db, key),
    onFault: (fault) => faults.push(fault),
  });
  const { othersPending } = await settleCluster(staging, runId, clusterKey, cluster, faults);
  // Most reads see others pending and spare the check; the sweeper covers the rare race (below).
  if (!othersPending) await requestFinalizeWhenSettled(context, plan, runId);
}

async function handleFinalize(context: JobContext, plan: DistributedPlan, runId: number): Promise<void> {
  const started = Date.now();
  const outcome = await finalizeRun(context.db, runId, async (reading, capturedAt) => {
    // Costs are read once per run, by the finalizer, over every listed cluster: one query per subscription.
    const source = await openRunSource(plan.source, context.env);
    const listed = reading.clusters.map((cluster) => ({ raw: cluster.raw, facts: cluster.evaluation.facts }));
    const costs = await readEstateCosts(source, listed, capturedAt, (fault) => reading.faults.push(fault), context.signal);
    if (costs) reading.costs = costs;
  });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (outcome.status === "completed") {
    context.log(`run #${runId} completed: ${outcome.written.clustersSeen} snapshots written in ${seconds} s, ${outcome.faults} errors recorded`);
    // Housekeeping after a completed run, as `bulkhead collect` does it; never fails the run.
    await afterRun(context.db);
  } else if (outcome.status === "failed") {
    context.log(`run #${runId} failed: ${outcome.message}`);
  }
}

/**
 * A job that settles something and saw nothing else pending asks "is the run settled now?" after
 * its own write committed, and then enqueues the run's single finalizing job (one id per run). Two
 * last reads that settle at the same instant may each see the other pending and both skip asking;
 * sweepSettledRuns catches that.
 */
async function requestFinalizeWhenSettled(context: JobContext, plan: DistributedPlan, runId: number): Promise<void> {
  if (!(await isRunSettled(context.staging, runId))) return;
  await enqueueJobs(context.boss, context.staging, [{ type: "finalize", runId }], plan);
}

/**
 * The safety net of the finalizer's trigger: every running distributed run whose work is all
 * settled gets its finalizing job (an existing one is not enqueued twice). Workers run it now and
 * then; it costs one query.
 */
export async function sweepSettledRuns(context: Pick<JobContext, "staging" | "boss">): Promise<number[]> {
  const runIds = await listSettledRuns(context.staging);
  for (const runId of runIds) {
    const plan = await loadPlan(context.staging, runId);
    if (plan) await enqueueJobs(context.boss, context.staging, [{ type: "finalize", runId }], plan);
  }
  return runIds;
}

/**
 * A job that exhausted its retries (pg-boss dead letter): recorded on the run as the fault it
 * stands for, and the run goes on. A cluster keeps its previous in-cluster objects, a subscription
 * counts as not listed, a run whose finalizer keeps failing is failed.
 */
export async function handleExhaustedJob(context: JobContext, data: JobData, message: string): Promise<void> {
  const { db, staging } = context;
  const plan = await loadPlan(staging, data.runId);
  if (!plan) return;
  const attempts = plan.jobs.retryLimit + 1;
  if (data.type === "finalize") {
    await failDistributedRun(db, data.runId, `The run could not be written after ${attempts} attempts: ${message}`);
    context.log(`run #${data.runId} failed: its finalizing job exhausted its retries (${message})`);
    return;
  }
  if (data.type === "list" || data.type === "inventory") {
    const what = data.type === "list" ? "listing AKS clusters" : "the Resource Graph inventory of this subscription's batch";
    for (const subscriptionId of data.type === "list" ? [data.subscriptionId] : data.subscriptionIds) {
      const fault: RunFault = { scope: "subscription", target: subscriptionId, cause: "unknown", message: `${what} did not finish after ${attempts} attempts: ${message}` };
      await failListing(staging, data.runId, subscriptionId, fault);
    }
  } else {
    const claimed = await claimCluster(staging, data.runId, data.clusterKey, null);
    if (claimed) {
      const faults: RunFault[] = [];
      const cluster = await judgeClusterRead({
        raw: claimed.raw,
        facts: readClusterFacts(claimed.raw, plan.config),
        read: { status: "failed", fault: { cause: "unknown", message: `reading in-cluster objects did not finish after ${attempts} attempts: ${message}` } },
        config: plan.config,
        previousInCluster: (key) => findPreviousInCluster(db, key),
        onFault: (fault) => faults.push(fault),
      });
      await settleCluster(staging, data.runId, data.clusterKey, cluster, faults);
    }
  }
  await requestFinalizeWhenSettled(context, plan, data.runId);
}
