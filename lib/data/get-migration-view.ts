import "server-only";
import { Prisma } from "@prisma/client";
import type { Database } from "@/lib/db/client";
import { latestSnapshotJoin } from "@/lib/db/latest-snapshot";
import { scopeFilterSql, type KpiScope } from "@/lib/kpi/scope";
import { assessReadiness, NPM_LINUX_END, NPM_WINDOWS_END, type ClusterReadiness, type Verdict } from "@/lib/migration/readiness";
import type { InClusterData } from "@/lib/posture";
import { ENGINE_GROUPS, engineGroupOf, type EngineGroup } from "@/lib/migration/engine-groups";

export type { EngineGroup } from "@/lib/migration/engine-groups";

export interface MigrationCluster extends ClusterReadiness {
  id: number;
  name: string;
  owner: string;
  subscriptionId: string;
  subscriptionName: string | null;
  resourceGroup: string;
  /** When the judged data is from: the latest snapshot. */
  capturedAt: string;
  /** Days from the view's day to the deadline (negative: past). */
  daysLeft: number;
}

export interface OwnerMigration {
  owner: string;
  engines: Record<EngineGroup, number>;
  verdicts: Record<Verdict, number>;
  /** The earliest deadline of the owner's NPM clusters; null without any. */
  deadline: string | null;
}

export interface MigrationView {
  /** UTC day the view is for (today) and the burn-down's days. */
  today: string;
  days: string[];
  /** Clusters per engine group at the end of each day of `days`. */
  burnDown: Record<EngineGroup, number[]>;
  owners: OwnerMigration[];
  clusters: MigrationCluster[];
  deadlines: { windows: string; linux: string };
}

const DAY_MS = 86_400_000;

type SpanRow = { cluster_id: number; engine: string; owner: string; starts: Date; ends: Date | null };
type ClusterRow = {
  id: number;
  name: string;
  owner: string;
  subscription_id: string;
  subscription_name: string | null;
  resource_group: string;
  captured_at: Date;
  cluster_doc: unknown;
  in_cluster_doc: InClusterData | null;
};

/**
 * The NPM → Cilium migration (docs/migration.md): clusters by engine at the end of each of the last
 * `days` UTC days (the burn-down), each owner's clusters by engine and its NPM clusters' readiness, and
 * every cluster still on Azure NPM with its deadline, readiness checks, commands and caveats.
 */
export async function getMigrationView(db: Database, params: { today: Date; days: number; scope: KpiScope }): Promise<MigrationView> {
  const lastDay = Math.floor(params.today.getTime() / DAY_MS) * DAY_MS;
  const days: string[] = [];
  for (let index = params.days - 1; index >= 0; index--) days.push(new Date(lastDay - index * DAY_MS).toISOString().slice(0, 10));
  const end = new Date(lastDay + DAY_MS);

  // Each cluster's stretches of one engine and owner, from its snapshots, ended by the next change
  // or by the cluster's deletion: the clusters carried forward at any time (docs/design.md §3).
  //
  // Ordering every snapshot of the history by cluster and time to find the changes costs a sort of
  // all of them (4–5 s at 10,000 clusters × 365 days). Grouping them instead by (cluster, engine,
  // owner, subscription) is a hash aggregate (about a fifth of that), and is exact for every cluster
  // whose groups do not interleave in time: then each group is one unbroken stretch, starting at its
  // first snapshot. Sorted by start, groups interleave exactly when one starts before its
  // predecessor's last snapshot (if no neighbours overlap, none do), so only the clusters where that
  // happens (an engine changed and changed back) go through the exact change scan, by their index.
  const spans = await db.prisma.$queryRaw<SpanRow[]>(Prisma.sql`
    WITH completed AS (SELECT id FROM collection_runs WHERE status = 'completed'),
    grouped AS (
      SELECT s.cluster_id, s.engine, s.owner, s.subscription_id, min(s.captured_at) AS starts, max(s.captured_at) AS last_at
        FROM snapshots s
       WHERE s.captured_at < ${end} AND s.run_id IN (SELECT id FROM completed)
       GROUP BY s.cluster_id, s.engine, s.owner, s.subscription_id
    ),
    ordered AS (
      SELECT g.*, lag(g.last_at) OVER w AS previous_last, lead(g.starts) OVER w AS next_at
        FROM grouped g
      WINDOW w AS (PARTITION BY g.cluster_id ORDER BY g.starts)
    ),
    interleaved AS (SELECT DISTINCT cluster_id FROM ordered WHERE previous_last >= starts),
    changes AS (
      SELECT x.* FROM interleaved i CROSS JOIN LATERAL (
        SELECT s.cluster_id, s.captured_at, s.engine, s.owner, s.subscription_id,
               lag(s.engine) OVER w AS prev_engine, lag(s.owner) OVER w AS prev_owner, lag(s.subscription_id) OVER w AS prev_subscription
          FROM snapshots s
         WHERE s.cluster_id = i.cluster_id AND s.captured_at < ${end} AND s.run_id IN (SELECT id FROM completed)
        WINDOW w AS (ORDER BY s.captured_at, s.id)
      ) x
       WHERE prev_engine IS NULL OR prev_engine <> engine OR prev_owner <> owner OR prev_subscription <> subscription_id
    ),
    spans AS (
      SELECT cluster_id, engine, owner, subscription_id, starts, next_at
        FROM ordered WHERE cluster_id NOT IN (SELECT cluster_id FROM interleaved)
      UNION ALL
      SELECT cluster_id, engine, owner, subscription_id, captured_at,
             lead(captured_at) OVER (PARTITION BY cluster_id ORDER BY captured_at)
        FROM changes
    )
    SELECT sp.cluster_id, sp.engine, sp.owner, sp.starts,
           CASE WHEN c.deleted_at IS NOT NULL AND (sp.next_at IS NULL OR c.deleted_at < sp.next_at) THEN c.deleted_at ELSE sp.next_at END AS ends
      FROM spans sp JOIN clusters c ON c.id = sp.cluster_id
     WHERE ${scopeFilterSql(params.scope, "sp")}`);

  const burnDown = Object.fromEntries(ENGINE_GROUPS.map((group) => [group, days.map(() => 0)])) as Record<EngineGroup, number[]>;
  const dayEnds = days.map((day) => Date.parse(`${day}T00:00:00Z`) + DAY_MS);
  const ownersNow = new Map<string, OwnerMigration>();
  const ownerOf = (owner: string) => {
    let entry = ownersNow.get(owner);
    if (!entry) {
      entry = { owner, engines: { npm: 0, cilium: 0, calico: 0, none: 0, other: 0 }, verdicts: { blocked: 0, "needs-work": 0, incomplete: 0, ready: 0 }, deadline: null };
      ownersNow.set(owner, entry);
    }
    return entry;
  };
  const nowMs = Math.min(params.today.getTime(), end.getTime());
  for (const span of spans) {
    const starts = span.starts.getTime();
    const ends = span.ends ? span.ends.getTime() : Number.POSITIVE_INFINITY;
    const group = engineGroupOf(span.engine);
    dayEnds.forEach((at, index) => {
      if (starts <= at && ends > at) burnDown[group][index] += 1;
    });
    if (starts <= nowMs && ends > nowMs) ownerOf(span.owner).engines[group] += 1;
  }

  const rows = await db.prisma.$queryRaw<ClusterRow[]>(Prisma.sql`
    SELECT c.id, c.name, c.owner, c.subscription_id, sub.display_name AS subscription_name, c.resource_group, s.captured_at,
           cd.body AS cluster_doc, ic.body AS in_cluster_doc
      FROM clusters c
      ${Prisma.raw(latestSnapshotJoin("c", "s"))}
      JOIN raw_documents cd ON cd.hash = s.cluster_doc_hash
      LEFT JOIN raw_documents ic ON ic.hash = s.in_cluster_doc_hash
      LEFT JOIN subscriptions sub ON sub.id = c.subscription_id
     WHERE c.deleted_at IS NULL AND c.engine = 'azure' AND ${scopeFilterSql(params.scope, "c")}
     ORDER BY c.owner, c.name, c.id`);
  const clusters = rows.map((row): MigrationCluster => {
    const readiness = assessReadiness(row.cluster_doc, row.in_cluster_doc);
    const owner = ownerOf(row.owner);
    owner.verdicts[readiness.verdict] += 1;
    if (owner.deadline === null || readiness.deadline < owner.deadline) owner.deadline = readiness.deadline;
    return {
      ...readiness,
      id: row.id,
      name: row.name,
      owner: row.owner,
      subscriptionId: row.subscription_id,
      subscriptionName: row.subscription_name,
      resourceGroup: row.resource_group,
      capturedAt: row.captured_at.toISOString(),
      daysLeft: Math.round((Date.parse(`${readiness.deadline}T00:00:00Z`) - lastDay) / DAY_MS),
    };
  });
  const verdictRank: Record<Verdict, number> = { blocked: 0, "needs-work": 1, incomplete: 2, ready: 3 };
  clusters.sort((a, b) => a.deadline.localeCompare(b.deadline) || verdictRank[a.verdict] - verdictRank[b.verdict] || a.owner.localeCompare(b.owner) || a.name.localeCompare(b.name));
  const owners = [...ownersNow.values()]
    .filter((owner) => Object.values(owner.engines).some((count) => count > 0))
    .sort((a, b) => b.engines.npm - a.engines.npm || a.owner.localeCompare(b.owner));
  return { today: days[days.length - 1], days, burnDown, owners, clusters, deadlines: { windows: NPM_WINDOWS_END, linux: NPM_LINUX_END } };
}
