import "server-only";
import type { Database } from "@/lib/db/client";
import { Prisma } from "@prisma/client";
import {
  DEFAULT_CLUSTER_SORT,
  DEFAULT_PAGE_SIZE,
  FIRST_SORT_DIRECTION,
  type AdvisoryFilter,
  type ClusterSortKey,
  type DeletedFilter,
  type EngineFilter,
  type FailingFilter,
  type PolicyKindFilter,
  type SortDirection,
} from "@/lib/clusters/list-options";
import { controlColumn, controlStatusArraySql, fromStoredStatus, type StoredStatus } from "@/lib/db/control-columns";
import { latestSnapshotJoin } from "@/lib/db/latest-snapshot";
import { CONTROL_IDS, type ControlId, type ControlStatus } from "@/lib/posture";

export interface ListClustersParams {
  q?: string;
  sort?: ClusterSortKey;
  dir?: SortDirection;
  page?: number;
  pageSize?: number;
  engine?: EngineFilter;
  kind?: PolicyKindFilter;
  failing?: FailingFilter;
  production?: boolean;
  subscription?: string;
  owner?: string;
  deleted?: DeletedFilter;
  advisory?: AdvisoryFilter;
}

/** Where a cluster's in-cluster data (namespaces, NetworkPolicies) comes from in its latest snapshot. */
export type InClusterState = "read" | "carried" | "none";

export interface ClusterListRow {
  id: number;
  name: string;
  resourceGroup: string;
  subscriptionId: string;
  subscriptionName: string | null;
  owner: string;
  production: boolean;
  engine: string;
  engineEnabled: boolean;
  controlsPassed: number;
  controlsFailed: number;
  controlsNa: number;
  /** Every control's status in the latest snapshot, in catalogue order. */
  statuses: { id: ControlId; status: ControlStatus }[];
  allowAnyCount: number;
  inCluster: InClusterState;
  /** When the in-cluster objects were read, if they were carried from an earlier run. */
  inClusterCapturedAt: string | null;
  snapshotAt: string;
  lastSeenAt: string;
  deletedAt: string | null;
}

/** Figures over every cluster that matches the filters (not only the page). */
export interface ClusterListSummary {
  clusters: number;
  engineEnabled: number;
  failing: number;
  allowAnyRules: number;
  production: number;
  withoutInCluster: number;
}

export interface ClusterListResult {
  rows: ClusterListRow[];
  total: number;
  /** The page served: the requested one, or the last page when it asked past the end. */
  page: number;
  pageSize: number;
  pageCount: number;
  sort: ClusterSortKey;
  dir: SortDirection;
  summary: ClusterListSummary;
}

type RawRow = {
  id: number;
  name: string;
  resource_group: string;
  subscription_id: string;
  subscription_name: string | null;
  owner: string;
  production: boolean;
  engine: string;
  engine_enabled: boolean;
  controls_passed: number;
  controls_failed: number;
  allow_any_count: number;
  statuses: StoredStatus[];
  has_in_cluster_data: boolean;
  in_cluster_captured_at: Date | null;
  snapshot_at: Date;
  last_seen_at: Date;
  deleted_at: Date | null;
};

type RawSummary = {
  clusters: bigint;
  engine_enabled: bigint;
  failing: bigint;
  allow_any: bigint | null;
  production: bigint;
  without_in_cluster: bigint;
};

const SORT_EXPRESSIONS: Record<ClusterSortKey, string[]> = {
  name: ["lower(c.name)"],
  engine: ["s.engine_enabled", "c.engine"],
  passed: ["s.controls_passed"],
  failed: ["s.controls_failed", "s.allow_any_count"],
  allowAny: ["s.allow_any_count"],
  owner: ["lower(c.owner)"],
  subscription: ["lower(COALESCE(sub.display_name, sub.id))"],
  production: ["c.production"],
  lastSeen: ["s.captured_at"],
};

/** `%` and `_` are wildcards in ILIKE; a search for them means the characters. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (match) => `\\${match}`);
}

function filterSql(params: ListClustersParams): Prisma.Sql {
  const conditions: Prisma.Sql[] = [];
  const deleted = params.deleted ?? "exclude";
  if (deleted === "exclude") conditions.push(Prisma.sql`c.deleted_at IS NULL`);
  if (deleted === "only") conditions.push(Prisma.sql`c.deleted_at IS NOT NULL`);
  if (params.subscription) conditions.push(Prisma.sql`c.subscription_id = ${params.subscription.toLowerCase()}`);
  if (params.owner) conditions.push(Prisma.sql`c.owner = ${params.owner}`);
  if (params.production !== undefined) conditions.push(Prisma.sql`c.production = ${params.production}`);
  if (params.engine === "enabled" || params.engine === "disabled") conditions.push(Prisma.sql`s.engine_enabled = ${params.engine === "enabled"}`);
  else if (params.engine === "unknown") conditions.push(Prisma.sql`s.engine LIKE 'unknown:%'`);
  else if (params.engine) conditions.push(Prisma.sql`s.engine = ${params.engine}`);
  // The kinds the latest snapshot read (snapshots.policy_kinds); `none`: in-cluster data with no policy object at all.
  if (params.kind === "none") conditions.push(Prisma.sql`s.has_in_cluster_data AND cardinality(s.policy_kinds) = 0`);
  else if (params.kind) conditions.push(Prisma.sql`s.policy_kinds @> ARRAY[${params.kind}]::text[]`);
  if (params.failing === "any") conditions.push(Prisma.sql`s.controls_failed > 0`);
  else if (params.failing === "none") conditions.push(Prisma.sql`s.controls_failed = 0`);
  else if (params.failing) conditions.push(Prisma.sql`s.${Prisma.raw(controlColumn(params.failing))} = 'fail'`);
  if (params.advisory) {
    const contains = JSON.stringify([{ id: params.advisory }]);
    conditions.push(Prisma.sql`EXISTS (SELECT 1 FROM evaluations e WHERE e.hash = s.evaluation_hash AND e.advisories @> ${contains}::jsonb)`);
  }
  const q = params.q?.trim();
  if (q) {
    const pattern = `%${escapeLike(q)}%`;
    conditions.push(Prisma.sql`(c.name ILIKE ${pattern} OR c.resource_group ILIKE ${pattern} OR c.owner ILIKE ${pattern})`);
  }
  return conditions.length ? Prisma.sql`WHERE ${Prisma.join(conditions, " AND ")}` : Prisma.empty;
}

const FROM = Prisma.sql`FROM clusters c
  ${Prisma.raw(latestSnapshotJoin("c", "s"))}
  JOIN subscriptions sub ON sub.id = c.subscription_id`;

/**
 * The clusters table: one row per cluster with its latest snapshot, filtered, sorted and paged in
 * SQL. A page past the end serves the last page, so a link kept from a larger result still shows rows.
 */
export async function listClusters(db: Database, params: ListClustersParams = {}): Promise<ClusterListResult> {
  const sort = params.sort ?? DEFAULT_CLUSTER_SORT.sort;
  const dir = params.dir ?? (params.sort ? FIRST_SORT_DIRECTION[sort] : DEFAULT_CLUSTER_SORT.dir);
  const pageSize = params.pageSize ?? DEFAULT_PAGE_SIZE;
  const requestedPage = Math.max(1, Math.floor(params.page ?? 1));
  const where = filterSql(params);
  const direction = Prisma.raw(dir === "asc" ? "ASC" : "DESC");
  const orderBy = Prisma.join(
    [...SORT_EXPRESSIONS[sort].map((expression) => Prisma.sql`${Prisma.raw(expression)} ${direction}`), Prisma.sql`lower(c.name) ASC`, Prisma.sql`c.id ASC`],
    ", ",
  );
  const selectPage = (page: number) =>
    db.prisma.$queryRaw<RawRow[]>(Prisma.sql`
      SELECT c.id, c.name, c.resource_group, c.subscription_id, sub.display_name AS subscription_name, c.owner, c.production,
             c.engine, s.engine_enabled, s.controls_passed, s.controls_failed, s.allow_any_count,
             ${Prisma.raw(controlStatusArraySql("s"))} AS statuses,
             s.has_in_cluster_data, s.in_cluster_captured_at, s.captured_at AS snapshot_at, s.captured_at AS last_seen_at, c.deleted_at
        ${FROM}
        ${where}
       ORDER BY ${orderBy}
       LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}`);

  const [summaryRows, firstRows] = await Promise.all([
    db.prisma.$queryRaw<RawSummary[]>(Prisma.sql`
      SELECT count(*) AS clusters,
             count(*) FILTER (WHERE s.engine_enabled) AS engine_enabled,
             count(*) FILTER (WHERE s.controls_failed > 0) AS failing,
             sum(s.allow_any_count) AS allow_any,
             count(*) FILTER (WHERE c.production) AS production,
             count(*) FILTER (WHERE NOT s.has_in_cluster_data) AS without_in_cluster
        ${FROM}
        ${where}`),
    selectPage(requestedPage),
  ]);
  const raw = summaryRows[0];
  const total = Number(raw.clusters);
  const pageCount = Math.max(1, Math.ceil(total / pageSize));
  const page = Math.min(requestedPage, pageCount);
  const rows = page === requestedPage ? firstRows : await selectPage(page);
  return {
    rows: rows.map(toListRow),
    total,
    page,
    pageSize,
    pageCount,
    sort,
    dir,
    summary: {
      clusters: total,
      engineEnabled: Number(raw.engine_enabled),
      failing: Number(raw.failing),
      allowAnyRules: Number(raw.allow_any ?? 0),
      production: Number(raw.production),
      withoutInCluster: Number(raw.without_in_cluster),
    },
  };
}

function toListRow(row: RawRow): ClusterListRow {
  const statuses = CONTROL_IDS.map((id, index) => ({ id, status: fromStoredStatus(row.statuses[index]) }));
  return {
    id: row.id,
    name: row.name,
    resourceGroup: row.resource_group,
    subscriptionId: row.subscription_id,
    subscriptionName: row.subscription_name,
    owner: row.owner,
    production: row.production,
    engine: row.engine,
    engineEnabled: row.engine_enabled,
    controlsPassed: row.controls_passed,
    controlsFailed: row.controls_failed,
    controlsNa: statuses.filter((item) => item.status === "n/a").length,
    statuses,
    allowAnyCount: row.allow_any_count,
    inCluster: !row.has_in_cluster_data ? "none" : row.in_cluster_captured_at ? "carried" : "read",
    inClusterCapturedAt: row.in_cluster_captured_at?.toISOString() ?? null,
    snapshotAt: row.snapshot_at.toISOString(),
    lastSeenAt: row.last_seen_at.toISOString(),
    deletedAt: row.deleted_at?.toISOString() ?? null,
  };
}
