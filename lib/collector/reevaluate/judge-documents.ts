import type pg from "pg";
import { bulkInsert } from "@/lib/db/bulk-insert";
import type { InClusterData, PostureConfig } from "@/lib/posture";
import { DERIVED_DOCUMENTS, deriveDocuments, storeDerivedDocuments, type DerivedKey } from "../derived-documents";
import type { Judge } from "../read-estate";
import { judgedSnapshotColumns, type JudgedValue } from "../snapshot-row";

export type { Judge };

export interface JudgeDocumentsOptions {
  reevaluationId: number;
  config: PostureConfig;
  judge: Judge;
  /** Distinct (cluster, in-cluster) document pairs judged and committed together: what a kill can lose. */
  batchSize: number;
  onProgress: (done: number, total: number, failed: number) => Promise<void> | void;
  signal?: AbortSignal;
}

interface Pair {
  clusterDocHash: string;
  /** "" when the snapshots hold no in-cluster objects. */
  inClusterDocHash: string;
}

/**
 * Phase one of a re-evaluation, resumable: every distinct (cluster document, in-cluster document)
 * that snapshots name — most snapshots share them, a year of an unchanged cluster is one pair — is
 * judged under the current rules, and its snapshot columns and derived documents are stored in
 * batches, each committed on its own. Nothing a page reads changes here: the derived documents are
 * new content-addressed rows no snapshot names yet, the results wait in reevaluation_results. A
 * re-evaluation killed half way finds its committed batches there and judges only the rest.
 */
export async function judgeDocuments(client: pg.ClientBase, options: JudgeDocumentsOptions): Promise<{ total: number; failed: number }> {
  const { reevaluationId } = options;
  const { rows: pending } = await client.query<{ cluster_doc_hash: string; in_cluster_doc_hash: string }>(
    `SELECT p.cluster_doc_hash, p.in_cluster_doc_hash
       FROM (SELECT DISTINCT cluster_doc_hash, COALESCE(in_cluster_doc_hash, '') AS in_cluster_doc_hash FROM snapshots) p
      WHERE NOT EXISTS (SELECT 1 FROM reevaluation_results r
                         WHERE r.reevaluation_id = $1 AND r.cluster_doc_hash = p.cluster_doc_hash AND r.in_cluster_doc_hash = p.in_cluster_doc_hash)
      ORDER BY p.in_cluster_doc_hash, p.cluster_doc_hash`,
    [reevaluationId],
  );
  const { rows: doneRows } = await client.query<{ done: number; failed: number }>(
    `SELECT count(*)::int AS done, count(*) FILTER (WHERE columns IS NULL)::int AS failed FROM reevaluation_results WHERE reevaluation_id = $1`,
    [reevaluationId],
  );
  let done = doneRows[0].done;
  let failed = doneRows[0].failed;
  const total = done + pending.length;
  await client.query(`UPDATE reevaluations SET documents_total = $2, documents_done = $3, documents_failed = $4 WHERE id = $1`, [reevaluationId, total, done, failed]);
  await options.onProgress(done, total, failed);

  for (let start = 0; start < pending.length; start += options.batchSize) {
    options.signal?.throwIfAborted();
    const batch: Pair[] = pending.slice(start, start + options.batchSize).map((row) => ({ clusterDocHash: row.cluster_doc_hash, inClusterDocHash: row.in_cluster_doc_hash }));
    const bodies = await readBodies(client, batch);
    const results: { pair: Pair; columns: Record<string, JudgedValue> | null }[] = [];
    const derived = new Map<DerivedKey, Map<string, string>>(DERIVED_DOCUMENTS.map((kind) => [kind.key, new Map()]));
    for (const pair of batch) {
      const cluster = bodies.get(pair.clusterDocHash);
      const inCluster = pair.inClusterDocHash === "" ? null : bodies.get(pair.inClusterDocHash);
      let columns: Record<string, JudgedValue> | null = null;
      if (cluster !== undefined && inCluster !== undefined) {
        try {
          const objects = (inCluster ?? null) as InClusterData | null;
          const evaluation = options.judge(cluster, objects, options.config);
          const documents = deriveDocuments(evaluation);
          for (const kind of DERIVED_DOCUMENTS) {
            const document = documents[kind.key];
            if (document) derived.get(kind.key)!.set(document.hash, document.json);
          }
          columns = judgedSnapshotColumns(evaluation, documents, objects);
        } catch {
          // A document that no longer parses keeps its snapshots' earlier judgement (counted, reported).
          columns = null;
        }
      }
      if (columns === null) failed += 1;
      results.push({ pair, columns });
    }
    await client.query("BEGIN");
    try {
      await storeDerivedDocuments(client, derived);
      await bulkInsert(client, "reevaluation_results", [
        { name: "reevaluation_id", type: "int4", value: () => reevaluationId },
        { name: "cluster_doc_hash", type: "text", value: (r: (typeof results)[number]) => r.pair.clusterDocHash },
        { name: "in_cluster_doc_hash", type: "text", value: (r) => r.pair.inClusterDocHash },
        { name: "columns", type: "jsonb", value: (r) => r.columns },
      ], results, "ON CONFLICT DO NOTHING");
      done += batch.length;
      await client.query(`UPDATE reevaluations SET documents_done = $2, documents_failed = $3 WHERE id = $1`, [reevaluationId, done, failed]);
      await client.query("COMMIT");
    } catch (error) {
      await client.query("ROLLBACK");
      throw error;
    }
    await options.onProgress(done, total, failed);
  }
  return { total, failed };
}

/** The source documents of a batch, by hash (each fetched once however many pairs share it). */
async function readBodies(client: pg.ClientBase, batch: Pair[]): Promise<Map<string, unknown>> {
  const hashes = [...new Set(batch.flatMap((pair) => (pair.inClusterDocHash === "" ? [pair.clusterDocHash] : [pair.clusterDocHash, pair.inClusterDocHash])))];
  const { rows } = await client.query<{ hash: string; body: unknown }>(`SELECT hash, body FROM raw_documents WHERE hash = ANY($1::text[])`, [hashes]);
  return new Map(rows.map((row) => [row.hash, row.body]));
}
