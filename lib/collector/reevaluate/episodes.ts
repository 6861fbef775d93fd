// Finding episodes from posture intervals, and old findings matched to them: the pure part of
// rebuilding findings when history is judged again (docs/design.md §3, docs/reevaluate.md).

import type { StoredStatus } from "@/lib/db/control-columns";

/** One posture interval of a cluster, in time order, with the statuses of every control. */
export interface IntervalRow {
  clusterId: number;
  snapshotId: string;
  validFrom: Date;
  validTo: Date | null;
  /** The next interval's start; a gap before it (or none after a closed interval) is a deletion. */
  nextFrom: Date | null;
  subscriptionId: string;
  owner: string;
  production: boolean;
  /** Status per control id. */
  statuses: Record<string, StoredStatus>;
}

export interface Scope {
  subscriptionId: string;
  owner: string;
  production: boolean;
}

/** A finding as the rules make it: open at its first failing snapshot, resolved by a pass or by deletion. */
export interface Episode extends Scope {
  clusterId: number;
  controlId: string;
  openedAt: Date;
  openedSnapshotId: string;
  resolvedAt: Date | null;
  resolvedSnapshotId: string | null;
  resolution: "passed" | "deleted" | null;
}

/**
 * The episodes of one cluster's intervals (in time order), per control: a fail opens one when none
 * is open and moves its scope while it fails; a pass resolves it; `n/a` leaves it; a deletion (a gap
 * after an interval) closes it as deleted — what a run does snapshot by snapshot (write-run.ts),
 * where a change of any of these happens only at an interval boundary.
 */
export function episodesOf(intervals: readonly IntervalRow[], controlIds: readonly string[]): Episode[] {
  const episodes: Episode[] = [];
  for (const controlId of controlIds) {
    let open: Episode | null = null;
    for (const interval of intervals) {
      const status = interval.statuses[controlId];
      const scope: Scope = { subscriptionId: interval.subscriptionId, owner: interval.owner, production: interval.production };
      if (status === "fail") {
        if (open) Object.assign(open, scope);
        else {
          open = { clusterId: interval.clusterId, controlId, openedAt: interval.validFrom, openedSnapshotId: interval.snapshotId, resolvedAt: null, resolvedSnapshotId: null, resolution: null, ...scope };
          episodes.push(open);
        }
      } else if (status === "pass" && open) {
        Object.assign(open, scope, { resolvedAt: interval.validFrom, resolvedSnapshotId: interval.snapshotId, resolution: "passed" });
        open = null;
      }
      const deleted = interval.validTo !== null && (interval.nextFrom === null || interval.nextFrom.getTime() !== interval.validTo.getTime());
      if (deleted && open) {
        Object.assign(open, { resolvedAt: interval.validTo, resolution: "deleted" });
        open = null;
      }
    }
  }
  return episodes;
}

/** A stored finding, as matching needs it. */
export interface StoredFinding extends Scope {
  id: number;
  clusterId: number;
  controlId: string;
  openedAt: Date;
  openedSnapshotId: string;
  resolvedAt: Date | null;
  resolvedSnapshotId: string | null;
  resolution: "passed" | "deleted" | "superseded" | null;
}

export interface FindingPlan {
  /** Findings that keep their id (and with it assignee, due date, comments, waivers, trail), with the episode they now stand for. */
  matched: { finding: StoredFinding; episode: Episode; moved: boolean; changed: boolean }[];
  /** Findings whose episode no longer exists. */
  superseded: StoredFinding[];
  /** Episodes no finding stood for. */
  opened: Episode[];
}

const END_OF_TIME = Number.POSITIVE_INFINITY;
const endOf = (at: Date | null) => (at === null ? END_OF_TIME : at.getTime());

function overlap(finding: StoredFinding, episode: Episode): number {
  const from = Math.max(finding.openedAt.getTime(), episode.openedAt.getTime());
  const to = Math.min(endOf(finding.resolvedAt), endOf(episode.resolvedAt));
  return to - from;
}

/**
 * Old findings of one (cluster, control) matched to its new episodes: the one opened at the same
 * time first — a finding an earlier re-evaluation superseded included, so rules that change back
 * bring its workflow back — then the live one that overlaps an episode the longest (the earliest on
 * a tie). Superseded findings no episode takes stay as they are.
 */
export function matchFindings(findings: readonly StoredFinding[], episodes: readonly Episode[]): FindingPlan {
  const plan: FindingPlan = { matched: [], superseded: [], opened: [] };
  const sorted = [...findings].sort((a, b) => a.openedAt.getTime() - b.openedAt.getTime() || a.id - b.id);
  const candidates = sorted.filter((finding) => finding.resolution !== "superseded");
  const taken = new Set<number>();
  const pairs = new Map<Episode, StoredFinding>();
  for (const episode of episodes) {
    // A live finding first; failing that, one an earlier re-evaluation superseded.
    const same =
      candidates.find((finding) => !taken.has(finding.id) && finding.openedAt.getTime() === episode.openedAt.getTime()) ??
      sorted.find((finding) => !taken.has(finding.id) && finding.openedAt.getTime() === episode.openedAt.getTime());
    if (same) {
      taken.add(same.id);
      pairs.set(episode, same);
    }
  }
  for (const episode of episodes) {
    if (pairs.has(episode)) continue;
    let best: StoredFinding | null = null;
    let bestOverlap = 0;
    for (const finding of candidates) {
      if (taken.has(finding.id)) continue;
      const shared = overlap(finding, episode);
      if (shared > bestOverlap) {
        best = finding;
        bestOverlap = shared;
      }
    }
    if (best) {
      taken.add(best.id);
      pairs.set(episode, best);
    }
  }
  for (const episode of episodes) {
    const finding = pairs.get(episode);
    if (!finding) {
      plan.opened.push(episode);
      continue;
    }
    const moved =
      finding.openedAt.getTime() !== episode.openedAt.getTime() ||
      endOf(finding.resolvedAt) !== endOf(episode.resolvedAt) ||
      finding.resolution !== episode.resolution;
    const changed =
      moved ||
      finding.openedSnapshotId !== episode.openedSnapshotId ||
      finding.resolvedSnapshotId !== episode.resolvedSnapshotId ||
      finding.subscriptionId !== episode.subscriptionId ||
      finding.owner !== episode.owner ||
      finding.production !== episode.production;
    plan.matched.push({ finding, episode, moved, changed });
  }
  for (const finding of candidates) if (!taken.has(finding.id)) plan.superseded.push(finding);
  return plan;
}
