// Test and benchmark support: what a run left in the store, in a form two stores can be compared by
// (cluster keys instead of ids, sorted), to show that a distributed run writes what an in-process run
// of the same input writes.
import type { Database } from "@/lib/db/client";
import { controlColumnList } from "@/lib/db/control-columns";
import { latestSnapshotJoin } from "@/lib/db/latest-snapshot";

export interface RunOutcome {
  run: Record<string, unknown>;
  snapshots: Record<string, unknown>[];
  duplicateSnapshots: number;
  intervals: Record<string, unknown>[];
  findings: Record<string, unknown>[];
  findingEvents: Record<string, number>;
  errors: Record<string, unknown>[];
  clusters: Record<string, unknown>[];
  runSubscriptions: Record<string, unknown>[];
  stagingRows: number;
}

export async function describeRunOutcome(db: Database, runId: number): Promise<RunOutcome> {
  const q = async (sql: string, values: unknown[] = []) => (await db.pool.query(sql, values)).rows as Record<string, unknown>[];
  const [run] = await q(
    `SELECT status, captured_at, subscriptions_listed, subscriptions_failed, clusters_seen, clusters_with_in_cluster,
            clusters_deleted, error_count, failure_message
       FROM collection_runs WHERE id = $1`,
    [runId],
  );
  const snapshots = await q(
    `SELECT c.key, s.captured_at, s.subscription_id, s.owner, s.production, s.raw_network_policy, s.engine, s.engine_enabled,
            s.has_in_cluster_data, s.in_cluster_captured_at, ${controlColumnList("s")},
            s.controls_passed, s.controls_failed, s.allow_any_count, e.controls, e.allow_any_rules, e.namespaces, e.advisories,
            s.evaluation_hash, s.cluster_doc_hash, s.in_cluster_doc_hash
       FROM snapshots s JOIN clusters c ON c.id = s.cluster_id JOIN evaluations e ON e.hash = s.evaluation_hash
      WHERE s.run_id = $1 ORDER BY c.key`,
    [runId],
  );
  const [{ duplicates }] = await q(
    `SELECT count(*)::int - count(DISTINCT cluster_id)::int AS duplicates FROM snapshots WHERE run_id = $1`,
    [runId],
  );
  const intervals = await q(
    `SELECT c.key, pi.valid_from, pi.valid_to, ${controlColumnList("pi")}, pi.allow_any_count, pi.owner, pi.production
       FROM posture_intervals pi JOIN clusters c ON c.id = pi.cluster_id ORDER BY c.key, pi.valid_from`,
  );
  const findings = await q(
    `SELECT c.key, f.control_id, f.opened_at, f.resolved_at, f.resolution, f.subscription_id, f.owner, f.production
       FROM findings f JOIN clusters c ON c.id = f.cluster_id ORDER BY c.key, f.control_id, f.opened_at`,
  );
  const events = await q(`SELECT type, count(*)::int AS n FROM finding_events GROUP BY type ORDER BY type`);
  const errors = await q(`SELECT scope, target, cause, message FROM run_errors WHERE run_id = $1 ORDER BY scope, target, cause, message`, [runId]);
  const clusters = await q(`SELECT c.key, c.owner, c.production, c.engine, c.first_seen_at, s.captured_at AS last_seen_at, c.deleted_at FROM clusters c ${latestSnapshotJoin("c", "s", { left: true })} ORDER BY c.key`);
  const runSubscriptions = await q(`SELECT subscription_id, listed, cluster_count FROM run_subscriptions WHERE run_id = $1 ORDER BY subscription_id`, [runId]);
  const [{ staging }] = await q(`SELECT (SELECT count(*) FROM distributed_listings)::int + (SELECT count(*) FROM distributed_clusters)::int AS staging`);
  return {
    run,
    snapshots,
    duplicateSnapshots: duplicates as number,
    intervals,
    findings,
    findingEvents: Object.fromEntries(events.map((e) => [e.type as string, e.n as number])),
    errors,
    clusters,
    runSubscriptions,
    stagingRows: staging as number,
  };
}
