import type pg from "pg";
import { bulkInsert } from "@/lib/db/bulk-insert";
import type { ClusterEvaluation, InClusterData } from "@/lib/posture";
import type { ClusterRef, DiscoveredSubscription } from "@/lib/sources/source";
import type { RunFault } from "../progress";
import { buildClusterDocuments } from "../cluster-documents";
import type { EstateReading, EvaluatedCluster, ListedCluster, SubscriptionOutcome } from "../read-estate";

// The staging rows of a distributed run (distributed_listings, distributed_clusters). Every write is
// conditional on the row still being pending, so a retried or duplicated job changes nothing that an
// earlier attempt already settled: the first settled outcome wins and nothing is counted twice.

type Queryable = pg.ClientBase | pg.Pool;


export async function stageSubscriptions(client: Queryable, runId: number, subscriptions: DiscoveredSubscription[]): Promise<void> {
  await bulkInsert(client as pg.ClientBase, "distributed_listings", [
    { name: "run_id", type: "int4", value: () => runId },
    { name: "subscription_id", type: "text", value: (s: DiscoveredSubscription & { position: number }) => s.subscriptionId },
    { name: "position", type: "int4", value: (s) => s.position },
    { name: "display_name", type: "text", value: (s) => s.displayName ?? null },
  ], subscriptions.map((s, position) => ({ ...s, position })), "ON CONFLICT DO NOTHING");
}

/** Marks a listing as being worked on; null when it is no longer pending (settled, or its run is gone). */
export async function claimListing(client: Queryable, runId: number, subscriptionId: string, workerId: string): Promise<{ displayName: string | null } | null> {
  const { rows } = await client.query<{ display_name: string | null }>(
    `UPDATE distributed_listings SET attempts = attempts + 1, claimed_by = $3
      WHERE run_id = $1 AND subscription_id = $2 AND state = 'pending'
      RETURNING display_name`,
    [runId, subscriptionId, workerId],
  );
  return rows[0] ? { displayName: rows[0].display_name } : null;
}

/**
 * Settles a listing and stages its clusters, inside the caller's transaction. Returns false (and
 * stages nothing) when the listing was already settled.
 */
export async function settleListing(
  client: pg.ClientBase,
  runId: number,
  outcome: SubscriptionOutcome,
  clusters: ListedCluster[],
  faults: RunFault[],
): Promise<boolean> {
  const settled = await client.query(
    `UPDATE distributed_listings
        SET state = $3, cluster_count = $4, complete = $5, faults = $6::jsonb, settled_at = now(),
            display_name = COALESCE(display_name, $7)
      WHERE run_id = $1 AND subscription_id = $2 AND state = 'pending'`,
    [runId, outcome.subscriptionId, outcome.listed ? "listed" : "failed", outcome.clusterCount, outcome.complete, JSON.stringify(faults), outcome.displayName ?? null],
  );
  if (settled.rowCount !== 1) return false;
  await bulkInsert(client, "distributed_clusters", [
    { name: "run_id", type: "int4", value: () => runId },
    { name: "cluster_key", type: "text", value: (c: ListedCluster) => c.facts.key },
    { name: "subscription_id", type: "text", value: () => outcome.subscriptionId },
    { name: "position", type: "int4", value: (c) => c.index },
    { name: "ref", type: "jsonb", value: (c): ClusterRef => ({ id: c.facts.id, name: c.facts.name, resourceGroup: c.facts.resourceGroup, subscriptionId: c.facts.subscriptionId }) },
    // `json`, not `jsonb`: the text is kept as written, so the finalizer hashes the same document.
    { name: "raw", type: "json", value: (c) => JSON.stringify(c.raw) },
  ], clusters, "ON CONFLICT (run_id, cluster_key) DO NOTHING");
  return true;
}

/** Clusters of a settled listing that still wait for their in-cluster job (re-enqueued by a retried listing job). */
export async function listPendingClusterKeys(client: Queryable, runId: number, subscriptionId: string): Promise<string[]> {
  const { rows } = await client.query<{ cluster_key: string }>(
    `SELECT cluster_key FROM distributed_clusters WHERE run_id = $1 AND subscription_id = $2 AND state = 'pending'`,
    [runId, subscriptionId],
  );
  return rows.map((row) => row.cluster_key);
}

/** A listing job that exhausted its retries: the subscription counts as not listed (nothing is inferred deleted). */
export async function failListing(client: Queryable, runId: number, subscriptionId: string, fault: RunFault): Promise<boolean> {
  const { rowCount } = await client.query(
    `UPDATE distributed_listings SET state = 'failed', cluster_count = 0, complete = false, faults = $3::jsonb, settled_at = now()
      WHERE run_id = $1 AND subscription_id = $2 AND state = 'pending'`,
    [runId, subscriptionId, JSON.stringify([fault])],
  );
  return rowCount === 1;
}

export interface ClaimedCluster {
  raw: unknown;
  ref: ClusterRef;
  /** The run's plan as stored (one round trip instead of two per job). */
  planText: string;
}

/** Marks a cluster as being read; null when it is no longer pending (settled, or its run is gone). */
export async function claimCluster(client: Queryable, runId: number, clusterKey: string, workerId: string | null): Promise<ClaimedCluster | null> {
  const { rows } = await client.query<{ raw: unknown; ref: ClusterRef; plan: string }>(
    `UPDATE distributed_clusters SET attempts = attempts + 1, claimed_by = COALESCE($3, claimed_by)
      WHERE run_id = $1 AND cluster_key = $2 AND state = 'pending'
      RETURNING raw, ref, (SELECT distributed_plan::text FROM collection_runs WHERE id = $1) AS plan`,
    [runId, clusterKey, workerId],
  );
  return rows[0] ? { raw: rows[0].raw, ref: rows[0].ref, planText: rows[0].plan } : null;
}

interface StoredResult {
  evaluation: ClusterEvaluation;
  inCluster: InClusterData | null;
  inClusterCapturedAt: string | null;
  inClusterFresh: boolean;
}

/**
 * Records a judged cluster unless an earlier attempt already did. Also says whether, as this
 * statement saw the run, anything else was still pending: when nothing was, the run may be settled
 * once this commits (the caller checks again after the commit; see isRunSettled).
 */
export async function settleCluster(
  client: Queryable,
  runId: number,
  clusterKey: string,
  cluster: EvaluatedCluster,
  faults: RunFault[],
): Promise<{ settled: boolean; othersPending: boolean }> {
  const result: StoredResult = {
    evaluation: cluster.evaluation,
    inCluster: cluster.inCluster,
    inClusterCapturedAt: cluster.inClusterCapturedAt?.toISOString() ?? null,
    inClusterFresh: cluster.inClusterFresh,
  };
  const { rows } = await client.query<{ settled: boolean; others_pending: boolean }>(
    `WITH settled AS (
       UPDATE distributed_clusters SET state = 'done', result = $3::json, faults = $4::jsonb, settled_at = now()
        WHERE run_id = $1 AND cluster_key = $2 AND state = 'pending'
        RETURNING 1)
     SELECT EXISTS (SELECT 1 FROM settled) AS settled,
            EXISTS (SELECT 1 FROM distributed_clusters WHERE run_id = $1 AND state = 'pending' AND cluster_key <> $2)
              OR EXISTS (SELECT 1 FROM distributed_listings WHERE run_id = $1 AND state = 'pending') AS others_pending`,
    [runId, clusterKey, JSON.stringify(result), JSON.stringify(faults)],
  );
  return { settled: rows[0].settled, othersPending: rows[0].others_pending };
}

/**
 * True when every listing and every listed cluster of a running run is settled: one statement, so
 * it sees one consistent state. Once true it stays true (clusters are staged only by the
 * transaction that settles their listing). Asked after a job's own commit, so the last job to
 * settle sees everything settled.
 */
export async function isRunSettled(client: Queryable, runId: number): Promise<boolean> {
  const { rows } = await client.query<{ settled: boolean }>(
    `SELECT r.status = 'running'
            AND EXISTS (SELECT 1 FROM distributed_listings WHERE run_id = r.id)
            AND NOT EXISTS (SELECT 1 FROM distributed_listings WHERE run_id = r.id AND state = 'pending')
            AND NOT EXISTS (SELECT 1 FROM distributed_clusters WHERE run_id = r.id AND state = 'pending') AS settled
       FROM collection_runs r WHERE r.id = $1`,
    [runId],
  );
  return rows[0]?.settled ?? false;
}

/** The staged run as the in-process collector would have read it: subscriptions and clusters in listing order. */
export async function loadStagedReading(client: pg.ClientBase, runId: number): Promise<EstateReading> {
  const listings = await client.query<{
    subscription_id: string;
    display_name: string | null;
    state: "listed" | "failed";
    cluster_count: number;
    complete: boolean;
    faults: RunFault[];
  }>(
    `SELECT subscription_id, display_name, state, cluster_count, complete, faults
       FROM distributed_listings WHERE run_id = $1 ORDER BY position, subscription_id`,
    [runId],
  );
  const clusters = await client.query<{ raw: unknown; result: StoredResult; faults: RunFault[] }>(
    `SELECT c.raw, c.result, c.faults
       FROM distributed_clusters c
       JOIN distributed_listings l ON l.run_id = c.run_id AND l.subscription_id = c.subscription_id
      WHERE c.run_id = $1
      ORDER BY l.position, c.position, c.cluster_key`,
    [runId],
  );
  const subscriptions = listings.rows.map(
    (row): SubscriptionOutcome => ({
      subscriptionId: row.subscription_id,
      ...(row.display_name !== null ? { displayName: row.display_name } : {}),
      listed: row.state === "listed",
      clusterCount: row.cluster_count,
      complete: row.complete,
    }),
  );
  return {
    subscriptions,
    clusters: clusters.rows.map(
      (row): EvaluatedCluster => ({
        raw: row.raw,
        evaluation: row.result.evaluation,
        inCluster: row.result.inCluster,
        inClusterCapturedAt: row.result.inClusterCapturedAt ? new Date(row.result.inClusterCapturedAt) : null,
        inClusterFresh: row.result.inClusterFresh,
        // Rebuilt rather than staged: the staged JSON round-trips to the same text, so the same hashes.
        documents: buildClusterDocuments(row.raw, row.result.inCluster, row.result.evaluation),
      }),
    ),
    faults: [...listings.rows.flatMap((row) => row.faults), ...clusters.rows.flatMap((row) => row.faults)],
  };
}

/** Running distributed runs whose work is all settled, for the sweeper that makes sure each is finalized. */
export async function listSettledRuns(client: Queryable): Promise<number[]> {
  const { rows } = await client.query<{ id: number }>(
    `SELECT r.id FROM collection_runs r
      WHERE r.status = 'running' AND r.deadline_at IS NOT NULL
        AND EXISTS (SELECT 1 FROM distributed_listings WHERE run_id = r.id)
        AND NOT EXISTS (SELECT 1 FROM distributed_listings WHERE run_id = r.id AND state = 'pending')
        AND NOT EXISTS (SELECT 1 FROM distributed_clusters WHERE run_id = r.id AND state = 'pending')`,
  );
  return rows.map((row) => row.id);
}

export async function deleteStaging(client: Queryable, runId: number): Promise<void> {
  await client.query(`DELETE FROM distributed_clusters WHERE run_id = $1`, [runId]);
  await client.query(`DELETE FROM distributed_listings WHERE run_id = $1`, [runId]);
}
