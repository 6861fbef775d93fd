import type pg from "pg";
import { bulkInsert } from "@/lib/db/bulk-insert";
import { controlSlaDefaultsJson, slaDueText } from "@/lib/findings/sla-sql";
import { CONTROL_COLUMNS, type StoredStatus } from "@/lib/db/control-columns";
import { SYSTEM_ACTOR } from "@/lib/findings/system-actor";
import { CONTROL_IDS } from "@/lib/posture";
import { episodesOf, matchFindings, type Episode, type IntervalRow, type StoredFinding } from "./episodes";

export interface FindingCounts {
  kept: number;
  moved: number;
  opened: number;
  closed: number;
}

export interface RebuildFindingsOptions {
  reevaluationId: number;
  rulesVersion: number;
  fromRulesVersion: number | null;
  /** Clusters whose findings are rebuilt per round trip (bounds memory at any estate size). */
  clustersPerChunk: number;
  onChunk?: (done: number, total: number) => Promise<void> | void;
}

/**
 * Findings rebuilt from the rebuilt posture intervals of the clusters in `reeval_clusters`, keeping
 * people's work: an old finding of the same (cluster, control) episode keeps its id — and with it its
 * assignee, due date, comments, waivers and trail — and takes the episode's times; one whose episode
 * no longer exists is closed as `superseded` (it never counts in a KPI: it ends where it opened); an
 * episode no finding stood for opens a new one. Each change is said in the trail with a
 * `rules-changed` event. Inside the caller's transaction.
 */
export async function rebuildFindings(client: pg.ClientBase, options: RebuildFindingsOptions): Promise<FindingCounts> {
  const { rows: clusterRows } = await client.query<{ cluster_id: number }>(`SELECT cluster_id FROM reeval_clusters ORDER BY cluster_id`);
  const clusterIds = clusterRows.map((row) => row.cluster_id);
  const counts: FindingCounts = { kept: 0, moved: 0, opened: 0, closed: 0 };
  for (let start = 0; start < clusterIds.length; start += options.clustersPerChunk) {
    const chunk = clusterIds.slice(start, start + options.clustersPerChunk);
    const [intervals, findings] = await Promise.all([readIntervals(client, chunk), readFindings(client, chunk)]);
    const episodes = new Map<string, Episode[]>();
    for (const [clusterId, rows] of intervals) {
      for (const episode of episodesOf(rows, CONTROL_IDS)) pushTo(episodes, `${clusterId}\u0000${episode.controlId}`, episode);
    }
    const byPair = new Map<string, StoredFinding[]>();
    for (const finding of findings) pushTo(byPair, `${finding.clusterId}\u0000${finding.controlId}`, finding);
    const plans = [...new Set([...episodes.keys(), ...byPair.keys()])].map((key) => matchFindings(byPair.get(key) ?? [], episodes.get(key) ?? []));
    const changes = await writeChanges(client, plans, options);
    counts.kept += changes.kept;
    counts.moved += changes.moved;
    counts.opened += changes.opened;
    counts.closed += changes.closed;
    await options.onChunk?.(Math.min(start + options.clustersPerChunk, clusterIds.length), clusterIds.length);
  }
  return counts;
}

function pushTo<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

type IntervalQueryRow = { cluster_id: number; snapshot_id: string; valid_from: Date; valid_to: Date | null; next_from: Date | null; subscription_id: string; owner: string; production: boolean } & Record<string, unknown>;

async function readIntervals(client: pg.ClientBase, clusterIds: number[]): Promise<Map<number, IntervalRow[]>> {
  const { rows } = await client.query<IntervalQueryRow>(
    `SELECT pi.cluster_id, pi.snapshot_id::text AS snapshot_id, pi.valid_from, pi.valid_to,
            lead(pi.valid_from) OVER (PARTITION BY pi.cluster_id ORDER BY pi.valid_from, pi.id) AS next_from,
            pi.subscription_id, pi.owner, pi.production, ${CONTROL_COLUMNS.map((column) => `pi.${column}::text AS ${column}`).join(", ")}
       FROM posture_intervals pi
      WHERE pi.cluster_id = ANY($1::int4[])
      ORDER BY pi.cluster_id, pi.valid_from, pi.id`,
    [clusterIds],
  );
  const byCluster = new Map<number, IntervalRow[]>();
  for (const row of rows) {
    const statuses: Record<string, StoredStatus> = {};
    CONTROL_IDS.forEach((id, index) => {
      statuses[id] = row[CONTROL_COLUMNS[index]] as StoredStatus;
    });
    const interval: IntervalRow = {
      clusterId: row.cluster_id,
      snapshotId: row.snapshot_id,
      validFrom: row.valid_from,
      validTo: row.valid_to,
      nextFrom: row.next_from,
      subscriptionId: row.subscription_id,
      owner: row.owner,
      production: row.production,
      statuses,
    };
    const list = byCluster.get(row.cluster_id);
    if (list) list.push(interval);
    else byCluster.set(row.cluster_id, [interval]);
  }
  return byCluster;
}

async function readFindings(client: pg.ClientBase, clusterIds: number[]): Promise<StoredFinding[]> {
  const { rows } = await client.query<{
    id: number;
    cluster_id: number;
    control_id: string;
    opened_at: Date;
    opened_snapshot_id: string;
    resolved_at: Date | null;
    resolved_snapshot_id: string | null;
    resolution: StoredFinding["resolution"];
    subscription_id: string;
    owner: string;
    production: boolean;
  }>(
    `SELECT id, cluster_id, control_id, opened_at, opened_snapshot_id::text AS opened_snapshot_id, resolved_at,
            resolved_snapshot_id::text AS resolved_snapshot_id, resolution::text AS resolution, subscription_id, owner, production
       FROM findings WHERE cluster_id = ANY($1::int4[])`,
    [clusterIds],
  );
  return rows.map((row) => ({
    id: row.id,
    clusterId: row.cluster_id,
    controlId: row.control_id,
    openedAt: row.opened_at,
    openedSnapshotId: row.opened_snapshot_id,
    resolvedAt: row.resolved_at,
    resolvedSnapshotId: row.resolved_snapshot_id,
    resolution: row.resolution,
    subscriptionId: row.subscription_id,
    owner: row.owner,
    production: row.production,
  }));
}

const iso = (at: Date | null) => at?.toISOString() ?? null;

/** The staged updates (reeval_finding_updates) of the findings that end `resolved`, or stay or become `open`. */
async function applyUpdates(client: pg.ClientBase, which: "resolved" | "open"): Promise<void> {
  await client.query(`UPDATE findings f SET opened_at = u.opened_at, opened_snapshot_id = u.opened_snapshot_id, resolved_at = u.resolved_at,
      resolved_snapshot_id = u.resolved_snapshot_id, resolution = u.resolution, subscription_id = u.subscription_id, owner = u.owner, production = u.production
     FROM reeval_finding_updates u WHERE f.id = u.id AND u.resolved_at IS ${which === "resolved" ? "NOT NULL" : "NULL"}`);
}

async function writeChanges(client: pg.ClientBase, plans: ReturnType<typeof matchFindings>[], options: RebuildFindingsOptions): Promise<FindingCounts> {
  const rules = { rulesVersion: options.rulesVersion, fromRulesVersion: options.fromRulesVersion, reevaluationId: options.reevaluationId };
  const updates = plans.flatMap((plan) => plan.matched.filter((match) => match.changed));
  const superseded = plans.flatMap((plan) => plan.superseded);
  const opened = plans.flatMap((plan) => plan.opened);
  const events: { findingId: number; data: unknown }[] = [];

  if (updates.length > 0) {
    type Update = (typeof updates)[number];
    await client.query(`CREATE TEMP TABLE IF NOT EXISTS reeval_finding_updates (id int4, opened_at timestamptz, opened_snapshot_id int8, resolved_at timestamptz,
      resolved_snapshot_id int8, resolution "FindingResolution", subscription_id text, owner text, production bool) ON COMMIT DROP`);
    await client.query(`TRUNCATE reeval_finding_updates`);
    await bulkInsert(client, "reeval_finding_updates", [
      { name: "id", type: "int4", value: (u: Update) => u.finding.id },
      { name: "opened_at", type: "timestamptz", value: (u) => u.episode.openedAt },
      { name: "opened_snapshot_id", type: "int8", value: (u) => u.episode.openedSnapshotId },
      { name: "resolved_at", type: "timestamptz", value: (u) => u.episode.resolvedAt },
      { name: "resolved_snapshot_id", type: "int8", value: (u) => u.episode.resolvedSnapshotId },
      { name: "resolution", type: `"FindingResolution"`, value: (u) => u.episode.resolution },
      { name: "subscription_id", type: "text", value: (u) => u.episode.subscriptionId },
      { name: "owner", type: "text", value: (u) => u.episode.owner },
      { name: "production", type: "bool", value: (u) => u.episode.production },
    ], updates);
    // Findings that close go first: a (cluster, control) has one open finding at most at every row
    // written (findings_one_open_per_control is checked row by row), and an old finding may reopen
    // where another one, open until now, gives way to it.
    await applyUpdates(client, "resolved");
    for (const update of updates) {
      if (!update.moved) continue;
      events.push({
        findingId: update.finding.id,
        data: {
          ...rules,
          change: "moved",
          before: { openedAt: iso(update.finding.openedAt), resolvedAt: iso(update.finding.resolvedAt), resolution: update.finding.resolution },
          after: { openedAt: iso(update.episode.openedAt), resolvedAt: iso(update.episode.resolvedAt), resolution: update.episode.resolution },
        },
      });
    }
  }

  if (superseded.length > 0) {
    // Closed where it opened: no KPI counts it at any time (open counts need opened ≤ T < resolved; MTTR needs `passed`).
    await client.query(`UPDATE findings SET resolved_at = opened_at, resolved_snapshot_id = NULL, resolution = 'superseded' WHERE id = ANY($1::int4[])`, [superseded.map((finding) => finding.id)]);
    for (const finding of superseded) {
      events.push({ findingId: finding.id, data: { ...rules, change: "closed", before: { openedAt: iso(finding.openedAt), resolvedAt: iso(finding.resolvedAt), resolution: finding.resolution } } });
    }
  }

  // Then the findings that stay open or reopen, and the episodes no finding stood for.
  if (updates.some((update) => update.episode.resolvedAt === null)) {
    await applyUpdates(client, "open");
  }

  if (opened.length > 0) {
    const inserted = await bulkInsert<Episode, { id: number; cluster_id: number; control_id: string; opened_at: Date }>(client, "findings", [
      { name: "cluster_id", type: "int4", value: (e) => e.clusterId },
      { name: "control_id", type: "text", value: (e) => e.controlId },
      { name: "opened_at", type: "timestamptz", value: (e) => e.openedAt },
      { name: "opened_snapshot_id", type: "int8", value: (e) => e.openedSnapshotId },
      { name: "resolved_at", type: "timestamptz", value: (e) => e.resolvedAt },
      { name: "resolved_snapshot_id", type: "int8", value: (e) => e.resolvedSnapshotId },
      { name: "resolution", type: `"FindingResolution"`, value: (e) => e.resolution },
      { name: "subscription_id", type: "text", value: (e) => e.subscriptionId },
      { name: "owner", type: "text", value: (e) => e.owner },
      { name: "production", type: "bool", value: (e) => e.production },
      // Set from the opening time and the control's SLA just below, with the episodes that moved.
      { name: "sla_due_at", type: "timestamptz", value: (e) => e.openedAt },
    ], opened, "RETURNING id, cluster_id, control_id, opened_at");
    // An episode is one (cluster, control, opening time): that names the row each id was given to.
    const keyOf = (clusterId: number, controlId: string, openedAt: Date) => `${clusterId}\u0000${controlId}\u0000${openedAt.getTime()}`;
    const ids = new Map(inserted.map((row) => [keyOf(row.cluster_id, row.control_id, row.opened_at), row.id]));
    for (const episode of opened) {
      events.push({ findingId: ids.get(keyOf(episode.clusterId, episode.controlId, episode.openedAt))!, data: { ...rules, change: "opened", after: { openedAt: iso(episode.openedAt), resolvedAt: iso(episode.resolvedAt), resolution: episode.resolution } } });
    }
  }

  // A finding's SLA due date runs from its opening (write-run.ts): an episode that opens at another
  // time under the new rules, or opens only under them, gets the due date of that opening.
  const reopenedIds = [...updates.filter((update) => update.moved).map((update) => update.finding.id), ...events.filter((event) => (event.data as { change?: string }).change === "opened").map((event) => event.findingId)];
  if (reopenedIds.length > 0) {
    await client.query(
      `UPDATE findings f SET sla_due_at = ${slaDueText("f.opened_at", "COALESCE(cs.sla_days, policy.default_sla_days, 30)")}
         FROM findings s
         LEFT JOIN jsonb_to_recordset($2::jsonb) AS policy(control_id text, default_sla_days int) ON policy.control_id = s.control_id
         LEFT JOIN control_settings cs ON cs.control_id = s.control_id
        WHERE s.id = f.id AND f.id = ANY($1::int4[])`,
      [reopenedIds, controlSlaDefaultsJson()],
    );
  }

  await bulkInsert(client, "finding_events", [
    { name: "finding_id", type: "int4", value: (e: (typeof events)[number]) => e.findingId },
    { name: "at", type: "timestamptz", value: () => new Date() },
    { name: "actor", type: "text", value: () => SYSTEM_ACTOR },
    { name: "type", type: "text", value: () => "rules-changed" },
    { name: "data", type: "jsonb", value: (e) => e.data },
  ], events);

  const kept = plans.reduce((sum, plan) => sum + plan.matched.length, 0);
  return { kept: kept - updates.filter((update) => update.moved).length, moved: updates.filter((update) => update.moved).length, opened: opened.length, closed: superseded.length };
}
