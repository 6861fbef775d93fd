import "server-only";
import type { PoolClient } from "pg";
import type { Database } from "@/lib/db/client";
import { latestSnapshotJoin } from "@/lib/db/latest-snapshot";
import { createClusterEvaluator, RULES_VERSION, type PostureConfig } from "@/lib/posture";
import { DERIVED_DOCUMENTS } from "../derived-documents";
import { abandonDeadRuns, acquireRunSlot, releaseRunSlot, RUN_LOCK_KEY } from "../run-record";
import { JUDGED_SNAPSHOT_COLUMNS } from "../snapshot-row";
import { judgeDocuments, type Judge } from "./judge-documents";
import { rebuildFindings, type FindingCounts } from "./rebuild-findings";
import { rebuildIntervals } from "./rebuild-intervals";
import { hashPostureConfig, readRulesStatus } from "@/lib/data/rules-status";

export type ReevaluateProgress =
  | { type: "started"; reevaluationId: number; resumedFrom: number | null; fromRulesVersion: number | null; rulesVersion: number }
  | { type: "judging"; done: number; total: number; failed: number }
  | { type: "writing"; step: "snapshots" | "intervals" | "findings" | "cleanup"; done?: number; total?: number };

export interface ReevaluateOptions {
  config: PostureConfig;
  /** Who asked (the trail and the reevaluations row name them). */
  actor: string;
  /** Only when the store holds older rules or a re-evaluation to resume; otherwise return at once. */
  ifNeeded?: boolean;
  /** Wait for a collection run in progress instead of failing with `busy`. */
  wait?: boolean;
  /** Distinct source document pairs judged and committed together (default 200). */
  batchSize?: number;
  /** Clusters whose findings are rebuilt per round trip (default 1,000). */
  clustersPerChunk?: number;
  /** The evaluator (default: this version's, judging each set of in-cluster objects once per engine settings). */
  judge?: Judge;
  /** Awaited: a caller may hold the work here (tests read the store in the middle of it). */
  onProgress?: (event: ReevaluateProgress) => Promise<void> | void;
  signal?: AbortSignal;
}

export interface ReevaluateResult {
  status: "completed" | "not-needed";
  reevaluationId: number | null;
  /** Pairs already judged by an interrupted re-evaluation this one went on from. */
  resumedFrom: number | null;
  fromRulesVersion: number | null;
  rulesVersion: number;
  documents: number;
  documentsFailed: number;
  snapshotsChanged: number;
  clustersChanged: number;
  intervals: number;
  findings: FindingCounts;
  durationMs: number;
}

/**
 * `bulkhead reevaluate` (docs/design.md §3, docs/reevaluate.md): every stored snapshot judged again
 * from its raw documents under the current rules, and everything derived from the judgements rebuilt
 * — snapshot statuses and counts, posture intervals, findings (their workflow kept), the clusters'
 * denormalised columns. It holds the run slot from start to end, so no collection writes meanwhile.
 * Phase one (judging) commits in batches and resumes after a kill; phase two (writing) is one
 * transaction, so pages and KPIs read the earlier judgement until it commits.
 */
export async function reevaluateStore(db: Database, options: ReevaluateOptions): Promise<ReevaluateResult> {
  const started = Date.now();
  // Pairs come sorted by in-cluster document: the autoscaler changes a cluster's document from day to
  // day while its policies seldom change, so one judgement of its objects serves many pairs.
  const judge = options.judge ?? createClusterEvaluator();
  const report = async (event: ReevaluateProgress) => {
    await options.onProgress?.(event);
  };
  const client = await db.pool.connect();
  let reevaluationId: number | null = null;
  try {
    await acquireRunSlot(client, { wait: options.wait ?? false, signal: options.signal });
    try {
      await abandonDeadRuns(client);
      const configHash = hashPostureConfig(options.config);
      const status = await readRulesStatus(client, RUN_LOCK_KEY);
      const resumable = await findResumable(client, configHash);
      if (options.ifNeeded && !resumable && !status.needsReevaluation) {
        return { status: "not-needed", reevaluationId: null, resumedFrom: null, fromRulesVersion: status.storedVersion, rulesVersion: RULES_VERSION, documents: 0, documentsFailed: 0, snapshotsChanged: 0, clustersChanged: 0, intervals: 0, findings: { kept: 0, moved: 0, opened: 0, closed: 0 }, durationMs: Date.now() - started };
      }
      let fromRulesVersion = status.storedVersion;
      let resumedFrom: number | null = null;
      if (resumable) {
        reevaluationId = resumable.id;
        fromRulesVersion = resumable.fromRulesVersion;
        resumedFrom = resumable.documentsDone;
        await client.query(`UPDATE reevaluations SET status = 'running', phase = 'judging', failure_message = NULL WHERE id = $1`, [reevaluationId]);
      } else {
        const { rows } = await client.query<{ id: number }>(
          `INSERT INTO reevaluations (rules_version, config_hash, started_by, from_rules_version) VALUES ($1, $2, $3, $4) RETURNING id`,
          [RULES_VERSION, configHash, options.actor, fromRulesVersion],
        );
        reevaluationId = rows[0].id;
      }
      await report({ type: "started", reevaluationId, resumedFrom, fromRulesVersion, rulesVersion: RULES_VERSION });

      const judged = await judgeDocuments(client, {
        reevaluationId,
        config: options.config,
        judge,
        batchSize: options.batchSize ?? 200,
        signal: options.signal,
        onProgress: (done, total, failed) => report({ type: "judging", done, total, failed }),
      });
      options.signal?.throwIfAborted();
      await client.query(`UPDATE reevaluations SET phase = 'writing' WHERE id = $1`, [reevaluationId]);

      await client.query("BEGIN");
      let written: Omit<ReevaluateResult, "status" | "reevaluationId" | "resumedFrom" | "fromRulesVersion" | "rulesVersion" | "durationMs" | "documents" | "documentsFailed">;
      try {
        written = await writeJudgements(client, reevaluationId, fromRulesVersion, options, report);
        await client.query(
          `UPDATE reevaluations SET status = 'completed', finished_at = now(), snapshots = $2, intervals = $3, findings_kept = $4,
                  findings_moved = $5, findings_opened = $6, findings_closed = $7 WHERE id = $1`,
          [reevaluationId, written.snapshotsChanged, written.intervals, written.findings.kept, written.findings.moved, written.findings.opened, written.findings.closed],
        );
        await client.query(`DELETE FROM reevaluation_results WHERE reevaluation_id = $1`, [reevaluationId]);
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK");
        throw error;
      }
      return { status: "completed", reevaluationId, resumedFrom, fromRulesVersion, rulesVersion: RULES_VERSION, documents: judged.total, documentsFailed: judged.failed, ...written, durationMs: Date.now() - started };
    } catch (error) {
      // A stopped re-evaluation stays `running` without a holder: interrupted, resumed by the next one.
      // Any other failure is recorded; its judged batches are kept for the retry.
      if (reevaluationId !== null && !options.signal?.aborted) {
        await client
          .query(`UPDATE reevaluations SET status = 'failed', finished_at = now(), failure_message = $2 WHERE id = $1`, [reevaluationId, (error instanceof Error ? error.message : String(error)).slice(0, 2000)])
          .catch(() => {});
      }
      throw error;
    } finally {
      await releaseRunSlot(client).catch(() => {});
    }
  } finally {
    client.release();
  }
}

/**
 * The re-evaluation to go on with: the latest one that did not complete (killed, or failed), judged
 * under the same rules and configuration. Any other unfinished one is abandoned and its results
 * dropped: they answer another question.
 */
async function findResumable(client: PoolClient, configHash: string): Promise<{ id: number; fromRulesVersion: number | null; documentsDone: number } | null> {
  const { rows } = await client.query<{ id: number; rules_version: number; config_hash: string; from_rules_version: number | null; documents_done: number }>(
    `SELECT id, rules_version, config_hash, from_rules_version, documents_done FROM reevaluations WHERE status IN ('running', 'failed') ORDER BY id DESC`,
  );
  const candidate = rows[0];
  const resumable = candidate && candidate.rules_version === RULES_VERSION && candidate.config_hash === configHash ? candidate : null;
  const abandoned = rows.filter((row) => row !== resumable).map((row) => row.id);
  if (abandoned.length > 0) {
    await client.query(`DELETE FROM reevaluation_results WHERE reevaluation_id = ANY($1::int4[])`, [abandoned]);
    await client.query(
      `UPDATE reevaluations SET status = 'abandoned', finished_at = COALESCE(finished_at, now()),
              failure_message = COALESCE(failure_message, 'Replaced by a re-evaluation under other rules or another configuration.')
        WHERE id = ANY($1::int4[])`,
      [abandoned],
    );
  }
  return resumable ? { id: resumable.id, fromRulesVersion: resumable.from_rules_version, documentsDone: resumable.documents_done } : null;
}

/** Phase two, inside the caller's transaction: snapshots, intervals, findings, clusters, then what is no longer used. */
async function writeJudgements(
  client: PoolClient,
  reevaluationId: number,
  fromRulesVersion: number | null,
  options: ReevaluateOptions,
  report: (event: ReevaluateProgress) => Promise<void>,
) {
  // Rebuilding a year of intervals sorts every snapshot once; room for it keeps the sort in memory.
  await client.query(`SET LOCAL work_mem = '256MB'`);
  await report({ type: "writing", step: "snapshots" });
  const columns = JUDGED_SNAPSHOT_COLUMNS;
  await client.query(`CREATE TEMP TABLE reeval_clusters (cluster_id int4 PRIMARY KEY) ON COMMIT DROP`);
  const { rows: changed } = await client.query<{ snapshots: number; clusters: number }>(
    `WITH changed AS (
       UPDATE snapshots s SET (${columns.join(", ")}) = (${columns.map((column) => `r.${column}`).join(", ")})
         FROM reevaluation_results x
         CROSS JOIN LATERAL jsonb_populate_record(NULL::snapshots, x.columns) r
        WHERE x.reevaluation_id = $1 AND x.columns IS NOT NULL
          AND s.cluster_doc_hash = x.cluster_doc_hash AND COALESCE(s.in_cluster_doc_hash, '') = x.in_cluster_doc_hash
          AND (${columns.map((column) => `s.${column}`).join(", ")}) IS DISTINCT FROM (${columns.map((column) => `r.${column}`).join(", ")})
        RETURNING s.cluster_id),
     clusters AS (INSERT INTO reeval_clusters SELECT DISTINCT cluster_id FROM changed RETURNING cluster_id)
     SELECT (SELECT count(*) FROM changed)::int AS snapshots, (SELECT count(*) FROM clusters)::int AS clusters`,
    [reevaluationId],
  );
  const { snapshots: snapshotsChanged, clusters: clustersChanged } = changed[0];
  await client.query(`ANALYZE reeval_clusters`);

  await report({ type: "writing", step: "intervals" });
  const intervals = clustersChanged > 0 ? await rebuildIntervals(client) : 0;

  await report({ type: "writing", step: "findings", done: 0, total: clustersChanged });
  const findings =
    clustersChanged > 0
      ? await rebuildFindings(client, {
          reevaluationId,
          rulesVersion: RULES_VERSION,
          fromRulesVersion,
          clustersPerChunk: options.clustersPerChunk ?? 1_000,
          onChunk: (done, total) => report({ type: "writing", step: "findings", done, total }),
        })
      : { kept: 0, moved: 0, opened: 0, closed: 0 };

  await report({ type: "writing", step: "cleanup" });
  if (snapshotsChanged === 0) return { snapshotsChanged, clustersChanged, intervals, findings };
  // The clusters table shows its latest snapshot's owner, production and engine.
  await client.query(
    `UPDATE clusters c SET owner = s.owner, production = s.production, engine = s.engine
       FROM (SELECT l.* FROM reeval_clusters r JOIN clusters rc ON rc.id = r.cluster_id ${latestSnapshotJoin("rc", "l")}) s
      WHERE s.cluster_id = c.id
        AND (c.owner, c.production, c.engine) IS DISTINCT FROM (s.owner, s.production, s.engine)`,
  );
  // Derived documents no snapshot names any more (the earlier rules' evidence) go: the stored rules
  // version is then what snapshots use.
  for (const kind of DERIVED_DOCUMENTS) {
    await client.query(`DELETE FROM ${kind.table} d WHERE NOT EXISTS (SELECT 1 FROM snapshots s WHERE s.${kind.snapshotColumn} = d.hash)`);
  }
  // What earlier runs journalled for `runs undo-last` describes rows as they were before this; undoing
  // them now would put the earlier judgement back, so they can no longer be undone.
  await client.query(`DELETE FROM run_undo_journal`);
  return { snapshotsChanged, clustersChanged, intervals, findings };
}
