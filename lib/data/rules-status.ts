import { createHash } from "node:crypto";
import type pg from "pg";
import type { PostureConfig } from "@/lib/posture";
import { RULES_VERSION } from "@/lib/posture/rules-version";

/** The last re-evaluation as pages and the CLI show it. */
export interface ReevaluationSummary {
  id: number;
  status: "running" | "completed" | "failed" | "abandoned";
  /** Running and no process holds the run slot for it: it was killed, and the next `reevaluate` resumes it. */
  interrupted: boolean;
  phase: "judging" | "writing";
  rulesVersion: number;
  fromRulesVersion: number | null;
  startedBy: string;
  startedAt: string;
  finishedAt: string | null;
  documentsTotal: number;
  documentsDone: number;
  documentsFailed: number;
  snapshots: number;
  findingsKept: number;
  findingsMoved: number;
  findingsOpened: number;
  findingsClosed: number;
  failureMessage: string | null;
}

/** Where the store stands against this version's rules (docs/design.md §3, docs/reevaluate.md). */
export interface RulesStatus {
  /** The rules this version judges with. */
  currentVersion: number;
  /** The oldest rules version among the stored evaluations; null for an empty store. */
  storedVersion: number | null;
  /**
   * Some snapshot with in-cluster data has no stored reachability (recorded before reachability was
   * stored, docs/design.md §4.5): lateral exposure is missing from its history until it is re-evaluated.
   */
  reachabilityMissing: boolean;
  /** Some stored history was judged with older rules, or lacks its reachability: `bulkhead reevaluate` brings it up to date. */
  needsReevaluation: boolean;
  latest: ReevaluationSummary | null;
}

type SummaryRow = {
  id: number;
  status: ReevaluationSummary["status"];
  phase: ReevaluationSummary["phase"];
  rules_version: number;
  from_rules_version: number | null;
  started_by: string;
  started_at: Date;
  finished_at: Date | null;
  documents_total: number;
  documents_done: number;
  documents_failed: number;
  snapshots: number;
  findings_kept: number;
  findings_moved: number;
  findings_opened: number;
  findings_closed: number;
  failure_message: string | null;
  slot_held: boolean;
};

/** The status statement's one row: the re-evaluation's columns are all null when there has been none. */
type StatusRow = { stored_version: number | null; reachability_missing: boolean } & ({ [K in keyof SummaryRow]: SummaryRow[K] } | { [K in keyof SummaryRow]: null });

/**
 * The stored rules version (the lowest of the evaluations: a re-evaluation removes the evidence it
 * replaced, so what remains is what snapshots use), whether any snapshot lacks its reachability, and
 * the latest re-evaluation. One indexed min(), one probe of a partial index that is empty once history
 * is current, and one row: cheap enough for every CLI start and every page load of the banner.
 *
 * They are read in one statement, so from one snapshot: read apart, a re-evaluation committing between
 * them showed "completed" beside the old stored version (a poller then saw a finished run that had
 * changed nothing).
 */
export async function readRulesStatus(db: pg.Pool | pg.ClientBase, runLockKey: number): Promise<RulesStatus> {
  const { rows } = await db.query<StatusRow>(
    `SELECT (SELECT min(rules_version) FROM evaluations) AS stored_version,
            EXISTS (SELECT 1 FROM snapshots WHERE has_in_cluster_data AND reachability_hash IS NULL) AS reachability_missing,
            r.*,
            CASE WHEN r.id IS NULL THEN NULL ELSE EXISTS (
                SELECT 1 FROM pg_locks l
                 WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
                   AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
                   AND l.classid = ($1::int8 >> 32)::oid AND l.objid = ($1::int8 & 4294967295)::oid) END AS slot_held
       FROM (SELECT 1) AS one
       LEFT JOIN LATERAL (SELECT * FROM reevaluations ORDER BY id DESC LIMIT 1) AS r ON true`,
    [runLockKey],
  );
  const row = rows[0]!;
  const storedVersion = row.stored_version;
  const reachabilityMissing = row.reachability_missing;
  return {
    currentVersion: RULES_VERSION,
    storedVersion,
    reachabilityMissing,
    needsReevaluation: (storedVersion !== null && storedVersion < RULES_VERSION) || reachabilityMissing,
    latest: row.id === null ? null : toSummary(row),
  };
}

function toSummary(row: SummaryRow): ReevaluationSummary {
  return {
    id: row.id,
    status: row.status,
    interrupted: row.status === "running" && !row.slot_held,
    phase: row.phase,
    rulesVersion: row.rules_version,
    fromRulesVersion: row.from_rules_version,
    startedBy: row.started_by,
    startedAt: row.started_at.toISOString(),
    finishedAt: row.finished_at?.toISOString() ?? null,
    documentsTotal: row.documents_total,
    documentsDone: row.documents_done,
    documentsFailed: row.documents_failed,
    snapshots: row.snapshots,
    findingsKept: row.findings_kept,
    findingsMoved: row.findings_moved,
    findingsOpened: row.findings_opened,
    findingsClosed: row.findings_closed,
    failureMessage: row.failure_message,
  };
}

/** The posture configuration's fingerprint: a resumed re-evaluation must judge with the same one. */
export function hashPostureConfig(config: PostureConfig): string {
  const canonical = JSON.stringify(Object.fromEntries(Object.entries(config).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))));
  return createHash("sha256").update(canonical).digest("hex");
}

/** The CLI's and the server's one-line notice when the store was judged with older rules; null when it is current. */
export function describeRulesUpgrade(status: RulesStatus): string | null {
  if (status.latest?.interrupted) {
    return `A re-evaluation under rules version ${status.latest.rulesVersion} stopped before it finished (${status.latest.documentsDone} of ${status.latest.documentsTotal} source documents judged); run \`bulkhead reevaluate\` to resume it. Until it commits, pages show the earlier judgement.`;
  }
  if (!status.needsReevaluation) return null;
  const how = `Run \`bulkhead reevaluate\` (or use "Re-evaluate history" in the dashboard as an admin) to judge all of it again`;
  if (status.storedVersion !== null && status.storedVersion < status.currentVersion) {
    return `The store holds history judged with rules version ${status.storedVersion}; this version judges with rules version ${status.currentVersion}. ${how}, so trends do not step on the day of the upgrade.`;
  }
  return `The store holds history recorded before reachability was stored: lateral exposure is missing from it. ${how}, so the lateral exposure trend covers it.`;
}
