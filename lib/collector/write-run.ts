import type pg from "pg";
import { bulkInsert, type BulkColumn } from "@/lib/db/bulk-insert";
import { CONTROL_COLUMNS, controlStatusRowsSql } from "@/lib/db/control-columns";
import { copyRows } from "@/lib/db/copy-rows";
import { SYSTEM_ACTOR } from "@/lib/findings/system-actor";
import { controlSlaDefaultsJson, slaDueText } from "@/lib/findings/sla-sql";
import type { RunFault } from "./progress";
import type { EstateReading } from "./read-estate";
import { DERIVED_DOCUMENTS, storeDerivedDocuments, type DerivedKey } from "./derived-documents";
import { buildSnapshotRow, JUDGED_SNAPSHOT_COLUMNS, KPI_FIGURE_COLUMNS, type SnapshotRow } from "./snapshot-row";
import { latestSnapshotJoin } from "@/lib/db/latest-snapshot";
import { journalSubscriptions, pruneUndoJournal } from "./undo-journal";
import { insertClusterCosts } from "@/lib/costs/write-costs";


export interface WriteRunResult {
  clustersSeen: number;
  clustersWithInCluster: number;
  clustersDeleted: number;
  findingsOpened: number;
  findingsResolved: number;
}

// The KPI-relevant state of a cluster; a new posture interval starts when any of it changes. Lateral
// exposure changes with policies and with workloads, not with a release's labels: it splits few intervals.
// Advisory ids are state too, so the Overview counts them from the intervals in force (they seldom change).
export const STATE_COLUMNS = ["subscription_id", "owner", "production", "engine_enabled", ...CONTROL_COLUMNS, ...KPI_FIGURE_COLUMNS, "advisory_ids"];

/**
 * Phase two of a run, inside the caller's transaction: snapshots, posture intervals, deletions and
 * findings. Nothing of the run is visible to KPIs until the transaction commits (docs/design.md §7).
 */
export async function writeRun(
  client: pg.ClientBase,
  runId: number,
  capturedAt: Date,
  reading: EstateReading,
): Promise<WriteRunResult> {
  const rows = reading.clusters.map(buildSnapshotRow);
  // Clusters may name subscriptions the listing did not (files); they need a row too.
  const extraSubscriptions = [...new Set(rows.map((row) => row.cluster.evaluation.facts.subscriptionId.toLowerCase()))];
  // What this run changes is journalled as it goes, so `bulkhead runs undo-last` can take it back.
  await pruneUndoJournal(client);
  await journalSubscriptions(client, runId, [...reading.subscriptions.map((s) => s.subscriptionId), ...extraSubscriptions]);

  await bulkInsert(client, "subscriptions", [
    { name: "id", type: "text", value: (s: EstateReading["subscriptions"][number]) => s.subscriptionId },
    { name: "display_name", type: "text", value: (s) => s.displayName ?? null },
    { name: "first_seen_at", type: "timestamptz", value: () => capturedAt },
    { name: "last_listed_at", type: "timestamptz", value: (s) => (s.listed ? capturedAt : null) },
  ], reading.subscriptions, `ON CONFLICT (id) DO UPDATE SET
      display_name = COALESCE(EXCLUDED.display_name, subscriptions.display_name),
      last_listed_at = COALESCE(EXCLUDED.last_listed_at, subscriptions.last_listed_at)`);
  await client.query(
    `INSERT INTO subscriptions (id, first_seen_at) SELECT unnest($1::text[]), $2 ON CONFLICT (id) DO NOTHING`,
    [extraSubscriptions, capturedAt],
  );

  await bulkInsert(client, "run_subscriptions", [
    { name: "run_id", type: "int4", value: () => runId },
    { name: "subscription_id", type: "text", value: (s: EstateReading["subscriptions"][number]) => s.subscriptionId },
    { name: "listed", type: "bool", value: (s) => s.listed },
    { name: "cluster_count", type: "int4", value: (s) => s.clusterCount },
  ], reading.subscriptions, "ON CONFLICT DO NOTHING");

  await insertRunErrors(client, runId, reading.faults);
  const previous = await readPreviousSnapshots(client, rows);
  await insertDocuments(client, rows, previous);

  // Only the cluster rows whose own fields changed are written (and journalled): the latest
  // snapshot and the last sighting are read from the snapshots (lib/db/latest-snapshot.ts).
  const clusterIds = await writeClusters(client, runId, rows, capturedAt, previous);
  const snapshots = await insertSnapshots(client, runId, capturedAt, rows, clusterIds);

  await advanceIntervals(client, runId, capturedAt);
  const clustersDeleted = await markDeletions(client, reading, runId, capturedAt, [...clusterIds.values()]);
  const { opened, resolved } = await advanceFindings(client, runId, capturedAt);
  await insertClusterCosts(client, runId, reading.costs ?? []);

  return {
    clustersSeen: snapshots,
    clustersWithInCluster: rows.filter((row) => row.cluster.inClusterFresh).length,
    clustersDeleted,
    findingsOpened: opened,
    findingsResolved: resolved,
  };
}

export async function insertRunErrors(client: pg.ClientBase, runId: number, faults: RunFault[]): Promise<void> {
  await bulkInsert(client, "run_errors", [
    { name: "run_id", type: "int4", value: () => runId },
    { name: "scope", type: "text", value: (f: RunFault) => f.scope },
    { name: "target", type: "text", value: (f) => f.target },
    { name: "cause", type: "text", value: (f) => f.cause },
    // Messages come from remote APIs: bound their size so one bad answer cannot bloat the store.
    { name: "message", type: "text", value: (f) => f.message.slice(0, 2000) },
  ], faults);
}

const facts = (r: SnapshotRow) => r.cluster.evaluation.facts;

/** What a cluster row keeps of the latest listing; a run writes a known row only when one of them changed. */
const CLUSTER_ATTRIBUTES: BulkColumn<SnapshotRow>[] = [
  { name: "arm_id", type: "text", value: (r) => facts(r).id },
  { name: "name", type: "text", value: (r) => facts(r).name },
  { name: "subscription_id", type: "text", value: (r) => facts(r).subscriptionId.toLowerCase() },
  { name: "resource_group", type: "text", value: (r) => facts(r).resourceGroup },
  { name: "location", type: "text", value: (r) => facts(r).location },
  { name: "owner", type: "text", value: (r) => facts(r).owner },
  { name: "production", type: "bool", value: (r) => facts(r).production },
  { name: "engine", type: "text", value: (r) => facts(r).engine },
];

/** True when the run saw the known cluster as its row has it (and the row is not marked deleted). */
function unchanged(row: SnapshotRow, known: PreviousSnapshot): boolean {
  return !known.deleted && CLUSTER_ATTRIBUTES.every((column) => (column.value(row) ?? null) === (known.attributes[column.name] ?? null));
}

/** A known cluster's id, its row's fields and the documents of its latest snapshot. */
interface PreviousSnapshot {
  clusterId: number;
  /** The row's values of CLUSTER_ATTRIBUTES, by column. */
  attributes: Record<string, unknown>;
  deleted: boolean;
  clusterDocHash: string | null;
  inClusterDocHash: string | null;
  /** The hash of each derived document (DERIVED_DOCUMENTS), by key. */
  derived: Partial<Record<DerivedKey, string | null>>;
}

async function readPreviousSnapshots(client: pg.ClientBase, rows: SnapshotRow[]): Promise<Map<string, PreviousSnapshot>> {
  const derivedColumns = DERIVED_DOCUMENTS.map((kind, index) => `s.${kind.snapshotColumn} AS derived_${index}`).join(", ");
  const { rows: found } = await client.query<{ id: number; key: string; deleted: boolean; cluster_doc_hash: string | null; in_cluster_doc_hash: string | null } & Record<string, string | null>>(
    `SELECT c.id, c.key, ${CLUSTER_ATTRIBUTES.map((column) => `c.${column.name}`).join(", ")}, c.deleted_at IS NOT NULL AS deleted,
            s.cluster_doc_hash, s.in_cluster_doc_hash, ${derivedColumns}
       FROM unnest($1::text[]) AS k(key)
       JOIN clusters c ON c.key = k.key
       ${latestSnapshotJoin("c", "s", { left: true })}`,
    [rows.map((row) => row.clusterKey)],
  );
  return new Map(
    found.map((row) => [
      row.key,
      {
        clusterId: row.id,
        attributes: Object.fromEntries(CLUSTER_ATTRIBUTES.map((column) => [column.name, row[column.name]])),
        deleted: row.deleted,
        clusterDocHash: row.cluster_doc_hash,
        inClusterDocHash: row.in_cluster_doc_hash,
        derived: Object.fromEntries(DERIVED_DOCUMENTS.map((kind, index) => [kind.key, row[`derived_${index}`]])),
      },
    ]),
  );
}

type DocumentEntry = { hash: string; json: string; kind: "cluster" | "in-cluster" };

/**
 * Source documents and derived documents (evaluation evidence, ...), each stored once per distinct
 * content. A document the cluster's previous snapshot already names is stored; the rest (a few
 * percent, day to day) are looked up by hash and only the unknown ones shipped.
 */
async function insertDocuments(client: pg.ClientBase, rows: SnapshotRow[], previous: Map<string, PreviousSnapshot>): Promise<void> {
  const documents = new Map<string, DocumentEntry>();
  const derived = new Map<DerivedKey, Map<string, string>>(DERIVED_DOCUMENTS.map((kind) => [kind.key, new Map()]));
  for (const { clusterKey, documents: d } of rows) {
    const before = previous.get(clusterKey);
    if (d.cluster.hash !== before?.clusterDocHash) documents.set(d.cluster.hash, { ...d.cluster, kind: "cluster" });
    if (d.inCluster && d.inCluster.hash !== before?.inClusterDocHash) documents.set(d.inCluster.hash, { ...d.inCluster, kind: "in-cluster" });
    for (const kind of DERIVED_DOCUMENTS) {
      const document = d.derived[kind.key];
      if (document && document.hash !== before?.derived[kind.key]) derived.get(kind.key)!.set(document.hash, document.json);
    }
  }
  if (documents.size > 0) {
    const known = await client.query<{ hash: string }>(`SELECT hash FROM raw_documents WHERE hash = ANY($1::text[])`, [[...documents.keys()]]);
    for (const { hash } of known.rows) documents.delete(hash);
    // Straight into the table by COPY, without a staging table or ON CONFLICT: the hashes left are
    // unknown to this transaction, and only a run (under the run slot) writes raw documents, so none
    // can arrive meanwhile. A staging table would carry every byte twice: on a day when every
    // cluster changes, that is tens of megabytes of JSON.
    await copyRows(client, "raw_documents", [
      { name: "hash", value: (e: DocumentEntry) => e.hash },
      { name: "kind", value: (e) => e.kind },
      { name: "body", value: (e) => e.json },
    ], [...documents.values()]);
  }
  await storeDerivedDocuments(client, derived);
}

/**
 * Known clusters whose identity, owner tag, engine or deletion changed are updated by id, with
 * their rows as they were journalled in the same statement; unchanged rows are not touched (a day
 * with no change writes none). New clusters are inserted.
 */
async function writeClusters(
  client: pg.ClientBase,
  runId: number,
  rows: SnapshotRow[],
  capturedAt: Date,
  previous: Map<string, PreviousSnapshot>,
): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  for (const row of rows) {
    const known = previous.get(row.clusterKey);
    if (known) ids.set(row.clusterKey, known.clusterId);
  }
  // Compared here with the row as read at the start of the write (under the run slot nothing
  // else writes clusters): a day without change sends no statement at all.
  const changed = rows.filter((row) => previous.has(row.clusterKey) && !unchanged(row, previous.get(row.clusterKey)!));
  if (changed.length > 0) {
    const columns: BulkColumn<SnapshotRow>[] = [{ name: "id", type: "int4", value: (r) => previous.get(r.clusterKey)!.clusterId }, ...CLUSTER_ATTRIBUTES];
    // Journalled as they were by the same statement; a seen cluster is not deleted.
    await client.query(
      `WITH seen AS (
         SELECT * FROM unnest(${columns.map((column, index) => `$${index + 2}::${column.type}[]`).join(", ")}) AS u(${columns.map((column) => column.name).join(", ")})),
       journal AS (
         INSERT INTO run_undo_journal (run_id, kind, ref_id, before) SELECT $1, 'cluster', c.id, to_jsonb(c) FROM clusters c JOIN seen u ON u.id = c.id)
       UPDATE clusters c SET ${CLUSTER_ATTRIBUTES.map((column) => `${column.name} = u.${column.name}`).join(", ")}, deleted_at = NULL
         FROM seen u
        WHERE c.id = u.id`,
      [runId, ...columns.map((column) => changed.map((row) => column.value(row)))],
    );
  }
  const added = rows.filter((row) => !previous.has(row.clusterKey));
  const inserted = await bulkInsert<SnapshotRow, { id: number; key: string }>(client, "clusters", [
    { name: "key", type: "text", value: (r) => r.clusterKey },
    ...CLUSTER_ATTRIBUTES,
    { name: "first_seen_at", type: "timestamptz", value: () => capturedAt },
  ], added, "RETURNING id, key");
  for (const row of inserted) ids.set(row.key, row.id);
  return ids;
}

async function insertSnapshots(
  client: pg.ClientBase,
  runId: number,
  capturedAt: Date,
  rows: SnapshotRow[],
  clusterIds: Map<string, number>,
): Promise<number> {
  await copyRows<SnapshotRow>(client, "snapshots", [
    { name: "run_id", value: () => runId },
    { name: "cluster_id", value: (r) => clusterIds.get(r.clusterKey) },
    { name: "captured_at", value: () => capturedAt },
    { name: "in_cluster_captured_at", value: (r) => r.cluster.inClusterCapturedAt },
    { name: "cluster_doc_hash", value: (r) => r.documents.cluster.hash },
    { name: "in_cluster_doc_hash", value: (r) => r.documents.inCluster?.hash ?? null },
    ...JUDGED_SNAPSHOT_COLUMNS.map((name) => ({ name, value: (r: SnapshotRow) => r.columns[name] })),
  ], rows);
  return rows.length;
}

/** Closes each cluster's open interval whose state changed, then opens intervals where none is open. */
async function advanceIntervals(client: pg.ClientBase, runId: number, capturedAt: Date): Promise<void> {
  const pi = STATE_COLUMNS.map((column) => `pi.${column}`).join(", ");
  const s = STATE_COLUMNS.map((column) => `s.${column}`).join(", ");
  await client.query(
    `WITH closed AS (
       UPDATE posture_intervals pi SET valid_to = $2
         FROM snapshots s
        WHERE s.run_id = $1 AND pi.cluster_id = s.cluster_id AND pi.valid_to IS NULL
          AND (${pi}) IS DISTINCT FROM (${s})
        RETURNING pi.id)
     INSERT INTO run_undo_journal (run_id, kind, ref_id) SELECT $1, 'interval-closed', id FROM closed`,
    [runId, capturedAt],
  );
  await client.query(
    `INSERT INTO posture_intervals (cluster_id, snapshot_id, valid_from, ${STATE_COLUMNS.join(", ")})
     SELECT s.cluster_id, s.id, s.captured_at, ${s}
       FROM snapshots s
      WHERE s.run_id = $1
        AND NOT EXISTS (SELECT 1 FROM posture_intervals pi WHERE pi.cluster_id = s.cluster_id AND pi.valid_to IS NULL)`,
    [runId],
  );
}

/**
 * A cluster is deleted when a complete listing of its subscription did not include it
 * (docs/design.md §3); a failed or partial listing marks nothing.
 */
async function markDeletions(client: pg.ClientBase, reading: EstateReading, runId: number, capturedAt: Date, seen: number[]): Promise<number> {
  const complete = reading.subscriptions.filter((s) => s.listed && s.complete).map((s) => s.subscriptionId);
  if (complete.length === 0) return 0;
  // A hash anti-join against the ids this run saw: `NOT (id = ANY(array))` would compare every
  // cluster with every seen id (10,000 × 10,000 at scale), and the run's snapshots, written a moment
  // ago in this transaction, have no statistics yet to plan a lookup by.
  const deleted = await client.query<{ id: number }>(
    `WITH deleted AS (
       UPDATE clusters c SET deleted_at = $3
        WHERE c.deleted_at IS NULL AND c.subscription_id = ANY($1::text[])
          AND NOT EXISTS (SELECT 1 FROM unnest($4::int4[]) AS seen(id) WHERE seen.id = c.id)
        RETURNING c.id),
     journal AS (INSERT INTO run_undo_journal (run_id, kind, ref_id) SELECT $2, 'cluster-deleted', id FROM deleted)
     SELECT id FROM deleted`,
    [complete, runId, capturedAt, seen],
  );
  const ids = deleted.rows.map((row) => row.id);
  if (ids.length === 0) return 0;
  await client.query(
    `WITH closed AS (UPDATE posture_intervals SET valid_to = $2 WHERE cluster_id = ANY($1::int4[]) AND valid_to IS NULL RETURNING id)
     INSERT INTO run_undo_journal (run_id, kind, ref_id) SELECT $3, 'interval-closed', id FROM closed`,
    [ids, capturedAt, runId],
  );
  await client.query(
    `WITH before AS (SELECT f.id, to_jsonb(f) AS row FROM findings f WHERE f.cluster_id = ANY($1::int4[]) AND f.resolved_at IS NULL),
     closed AS (
       UPDATE findings SET resolved_at = $2, resolution = 'deleted'
        WHERE cluster_id = ANY($1::int4[]) AND resolved_at IS NULL
        RETURNING id),
     journal AS (INSERT INTO run_undo_journal (run_id, kind, ref_id, before) SELECT $4, 'finding', id, row FROM before)
     INSERT INTO finding_events (finding_id, at, actor, type, data)
     SELECT id, $2, $3, 'cluster-deleted', '{}'::jsonb FROM closed`,
    [ids, capturedAt, SYSTEM_ACTOR, runId],
  );
  return ids.length;
}

/**
 * Findings follow the controls: a fail opens one (or reopens, as a new episode), a pass resolves
 * it, `n/a` leaves it as it was (docs/design.md §3). One pass: the run's control results are joined
 * with the open findings once, and every change (resolve, re-scope, open, their journal and trail)
 * is a data-modifying CTE of that one statement, all reading the findings as they were before it.
 */
async function advanceFindings(client: pg.ClientBase, runId: number, capturedAt: Date): Promise<{ opened: number; resolved: number }> {
  const { rows } = await client.query<{ opened: number; resolved: number }>(
    `WITH results AS MATERIALIZED (
       SELECT s.id AS snapshot_id, s.cluster_id, s.subscription_id, s.owner, s.production, r.control_id, r.status,
              f.id AS finding_id, (f.subscription_id, f.owner, f.production) IS DISTINCT FROM (s.subscription_id, s.owner, s.production) AS moved
         FROM snapshots s
        CROSS JOIN LATERAL ${controlStatusRowsSql("s")} AS r(control_id, status)
         LEFT JOIN findings f ON f.cluster_id = s.cluster_id AND f.control_id = r.control_id AND f.resolved_at IS NULL
        WHERE s.run_id = $1 AND r.status <> 'na'),
     changed AS (
       SELECT * FROM results WHERE finding_id IS NOT NULL AND (status = 'pass' OR moved)),
     journal AS (
       INSERT INTO run_undo_journal (run_id, kind, ref_id, before)
       SELECT $1, 'finding', f.id, to_jsonb(f) FROM findings f JOIN changed c ON c.finding_id = f.id),
     updated AS (
       UPDATE findings f
          SET resolved_at = CASE WHEN c.status = 'pass' THEN $2::timestamptz END,
              resolved_snapshot_id = CASE WHEN c.status = 'pass' THEN c.snapshot_id END,
              resolution = CASE WHEN c.status = 'pass' THEN 'passed'::"FindingResolution" END,
              subscription_id = c.subscription_id, owner = c.owner, production = c.production
         FROM changed c
        WHERE f.id = c.finding_id
        RETURNING f.id, c.snapshot_id, c.status),
     opened AS (
       INSERT INTO findings (cluster_id, control_id, opened_at, opened_snapshot_id, subscription_id, owner, production, sla_due_at)
       SELECT r.cluster_id, r.control_id, $2, r.snapshot_id, r.subscription_id, r.owner, r.production,
              ${slaDueText("$2::timestamptz", "COALESCE(cs.sla_days, policy.default_sla_days, 30)")}
         FROM results r
         LEFT JOIN jsonb_to_recordset($4::jsonb) AS policy(control_id text, default_sla_days int) ON policy.control_id = r.control_id
         LEFT JOIN control_settings cs ON cs.control_id = r.control_id
        WHERE r.status = 'fail' AND r.finding_id IS NULL
       RETURNING id, cluster_id, control_id, opened_snapshot_id),
     events AS (
       INSERT INTO finding_events (finding_id, at, actor, type, data)
       SELECT id, $2, $3, 'resolved', jsonb_build_object('snapshotId', snapshot_id::text) FROM updated WHERE status = 'pass'
       UNION ALL
       -- The statement sees the findings as they were before it: any of the pair is an earlier episode.
       SELECT o.id, $2, $3,
              CASE WHEN EXISTS (SELECT 1 FROM findings p WHERE p.cluster_id = o.cluster_id AND p.control_id = o.control_id)
                   THEN 'reopened' ELSE 'opened' END,
              jsonb_build_object('snapshotId', o.opened_snapshot_id::text)
         FROM opened o)
     SELECT (SELECT count(*) FROM opened)::int AS opened, (SELECT count(*) FROM updated WHERE status = 'pass')::int AS resolved`,
    [runId, capturedAt, SYSTEM_ACTOR, controlSlaDefaultsJson()],
  );
  return rows[0];
}
