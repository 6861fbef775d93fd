import "server-only";
import { z } from "zod";
import { idNumber, MAX_PAGE } from "@/lib/api/bounds";
import type { Database } from "@/lib/db/client";
import { Prisma } from "@prisma/client";
import Cursor from "pg-cursor";
import { CONTROL_IDS } from "@/lib/posture";
import type { Severity } from "./control-policy";
import { effectiveDueSql, slaJoinsSql } from "./sla-sql";
import { findingStatusSql, severitySql, unresolvedAtSql } from "./status-sql";

export type FindingStatus = "open" | "overdue" | "waived" | "resolved";

/** `a,b,c` (or one value) in the URL: several values of one filter; every one must be known. */
function commaList<const Values extends readonly [string, ...string[]]>(values: Values, noun: string) {
  return z
    .string()
    .max(200)
    .transform((text, context) => {
      const items = [...new Set(text.split(",").map((item) => item.trim()).filter(Boolean))];
      const unknown = items.filter((item) => !(values as readonly string[]).includes(item));
      if (unknown.length) {
        context.addIssue({ code: "custom", message: `unknown ${noun} ${unknown.map((item) => `"${item}"`).join(", ")} (use ${values.join(", ")})` });
        return z.NEVER;
      }
      return items as Values[number][];
    });
}

export const FINDING_SEVERITIES = ["critical", "high", "medium", "low"] as const;

export const findingFilterParams = z.object({
  status: z.enum(["active", "open", "overdue", "waived", "resolved", "all"]).default("active"),
  control: commaList(CONTROL_IDS, "control").optional(),
  severity: commaList(FINDING_SEVERITIES, "severity").optional(),
  /** `breached`: past the SLA due date (resolved late, or still open past it), whatever was agreed since. */
  sla: z.enum(["breached", "within"]).optional(),
  assignee: z.string().trim().min(1).max(320).optional(),
  q: z.string().trim().max(200).optional(),
  production: z.enum(["true", "false"]).optional(),
  clusterId: idNumber("a cluster id").optional(),
});

export const findingListParams = findingFilterParams.extend({
  sort: z.enum(["severity", "age", "due", "cluster", "control", "owner", "assignee", "status"]).default("due"),
  dir: z.enum(["asc", "desc"]).default("asc"),
  page: z.coerce.number().int().min(1).max(MAX_PAGE).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});
export type FindingFilters = z.infer<typeof findingFilterParams> & { subscription?: string; owner?: string };
export type FindingListParams = z.infer<typeof findingListParams>;

export interface FindingRow {
  id: number;
  controlId: string;
  severity: Severity;
  status: FindingStatus;
  clusterId: number;
  clusterName: string;
  resourceGroup: string;
  subscriptionId: string;
  /** The subscription's display name, when Azure gave one. */
  subscriptionName: string | null;
  owner: string;
  production: boolean;
  assignee: string | null;
  openedAt: string;
  resolvedAt: string | null;
  resolution: string | null;
  /** The effective due date: the agreed one when set, else the SLA due date. */
  dueAt: string;
  /** The SLA due date (end of its UTC day), fixed when the finding opened. */
  slaDueAt: string;
  /** The agreed due date, when one was set (later than slaDueAt: an extension). */
  agreedDueAt: string | null;
  /** Why the agreed due date was moved later. */
  dueReason: string | null;
  /** Past its SLA due date while open (or resolved after it), whatever was agreed since. */
  slaBreached: boolean;
  ageDays: number;
  waiver: { id: number; reason: string; expiresAt: string; createdBy: string } | null;
}

export interface FindingPage {
  rows: FindingRow[];
  total: number;
  page: number;
  pageSize: number;
  counts: Record<FindingStatus, number>;
}

type RawRow = {
  id: number; control_id: string; severity: Severity; status: FindingStatus; cluster_id: number; cluster_name: string; resource_group: string;
  subscription_id: string; subscription_name: string | null; owner: string; production: boolean; assignee: string | null; opened_at: Date; resolved_at: Date | null;
  resolution: string | null; due_at: Date; sla_due_at: Date; agreed_due_at: Date | null; due_reason: string | null; sla_breached: boolean; waiver_id: number | null; waiver_reason: string | null; waiver_expires_at: Date | null; waiver_created_by: string | null;
  total: bigint;
};

const SORT_COLUMNS: Record<FindingListParams["sort"], string> = {
  severity: "severity_rank",
  age: "opened_at",
  due: "due_at",
  cluster: "cluster_name",
  control: "control_id",
  owner: "owner",
  assignee: "assignee",
  status: "status",
};

/**
 * The findings base query: one row per finding of `set` with its status, severity, effective due date
 * and the waiver in force at `now`.
 */
export function findingsBaseSql(now: Date, set: FindingSet = "all"): Prisma.Sql {
  const at = Prisma.sql`${now}::timestamptz`;
  return Prisma.sql`
    SELECT f.id, f.control_id, policy.severity,
           CASE policy.severity WHEN 'critical' THEN 4 WHEN 'high' THEN 3 WHEN 'medium' THEN 2 ELSE 1 END AS severity_rank,
           ${findingStatusSql(at)} AS status,
           c.id AS cluster_id, c.name AS cluster_name, c.resource_group, f.subscription_id, sub.display_name AS subscription_name,
           f.owner, f.production, f.assignee,
           f.opened_at, f.resolved_at, f.resolution::text AS resolution, ${effectiveDueSql()} AS due_at,
           f.sla_due_at, f.due_at AS agreed_due_at, f.due_reason,
           f.sla_due_at < LEAST(COALESCE(f.resolved_at, ${at}), ${at}) AS sla_breached,
           w.id AS waiver_id, w.reason AS waiver_reason, w.expires_at AS waiver_expires_at, w.created_by AS waiver_created_by
      FROM findings f
      JOIN clusters c ON c.id = f.cluster_id
      JOIN subscriptions sub ON sub.id = f.subscription_id
      ${slaJoinsSql()}
      LEFT JOIN waivers w ON w.id = f.waiver_id AND f.waived_from <= ${at} AND f.waived_until > ${at}
      ${findingSetWhereSql(set, at)}`;
}

/** Which findings a query reads: those not resolved at `now`, those resolved by then, or all. */
export type FindingSet = "unresolved" | "resolved" | "all";

/**
 * The findings as lists filter and sort them, with only what is stored on the finding (and the
 * cluster's name where a filter or the order asks for it: a LEFT JOIN on its key, which the planner
 * drops otherwise); the page's rows are then read whole by id. A list of unresolved findings reads
 * only those (an index), however long the resolved history grows.
 */
export function findingsFilterBaseSql(now: Date, set: FindingSet): Prisma.Sql {
  const at = Prisma.sql`${now}::timestamptz`;
  const { severity, rank } = severitySql();
  return Prisma.sql`
    SELECT f.id, f.control_id, ${severity} AS severity, ${rank} AS severity_rank, ${findingStatusSql(at)} AS status,
           f.cluster_id, c.name AS cluster_name, c.resource_group, f.subscription_id, f.owner, f.production, f.assignee,
           f.opened_at, ${effectiveDueSql()} AS due_at, f.sla_due_at,
           f.sla_due_at < LEAST(COALESCE(f.resolved_at, ${at}), ${at}) AS sla_breached
      FROM findings f
      LEFT JOIN clusters c ON c.id = f.cluster_id
      ${findingSetWhereSql(set, at)}`;
}

function findingSetWhereSql(set: FindingSet, at: Prisma.Sql): Prisma.Sql {
  if (set === "unresolved") return Prisma.sql`WHERE ${unresolvedAtSql(at)}`;
  if (set === "resolved") return Prisma.sql`WHERE f.resolved_at <= ${at}`;
  return Prisma.empty;
}

/** The set of findings a status filter reads. */
function findingSetOf(status: FindingFilters["status"]): FindingSet {
  return status === "all" ? "all" : status === "resolved" ? "resolved" : "unresolved";
}

// Queries hand $queryRaw a built Prisma.sql, not a tagged template: in the Next server the shared
// Prisma client may come from another bundle layer, whose Sql class would not inline our fragments.

/** The WHERE clause of a findings query over `base` for every filter but the status. */
function filterSql(params: FindingFilters): Prisma.Sql[] {
  const filters: Prisma.Sql[] = [];
  if (params.control?.length) filters.push(Prisma.sql`control_id = ANY(${params.control}::text[])`);
  if (params.severity?.length) filters.push(Prisma.sql`severity = ANY(${params.severity}::text[])`);
  if (params.sla === "breached") filters.push(Prisma.sql`sla_breached`);
  else if (params.sla === "within") filters.push(Prisma.sql`NOT sla_breached`);
  if (params.assignee === "(unassigned)") filters.push(Prisma.sql`assignee IS NULL`);
  else if (params.assignee) filters.push(Prisma.sql`assignee = ${params.assignee}`);
  if (params.production) filters.push(Prisma.sql`production = ${params.production === "true"}`);
  if (params.clusterId) filters.push(Prisma.sql`cluster_id = ${params.clusterId}`);
  if (params.subscription) filters.push(Prisma.sql`subscription_id = ${params.subscription}`);
  if (params.owner) filters.push(Prisma.sql`owner = ${params.owner}`);
  if (params.q) {
    const like = `%${params.q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
    filters.push(Prisma.sql`(cluster_name ILIKE ${like} OR resource_group ILIKE ${like} OR assignee ILIKE ${like} OR owner ILIKE ${like})`);
  }
  return filters;
}

function statusSql(status: FindingFilters["status"]): Prisma.Sql[] {
  if (status === "active") return [Prisma.sql`status <> 'resolved'`];
  if (status === "all") return [];
  return [Prisma.sql`status = ${status}`];
}

const whereSql = (filters: Prisma.Sql[]) => (filters.length ? Prisma.sql`WHERE ${Prisma.join(filters, " AND ")}` : Prisma.empty);

type OrderedFilters = FindingFilters & { sort?: FindingListParams["sort"]; dir?: FindingListParams["dir"] };

function orderSql(params: OrderedFilters): Prisma.Sql {
  return Prisma.raw(`${SORT_COLUMNS[params.sort ?? "due"]} ${params.dir === "desc" ? "DESC" : "ASC"} NULLS LAST, id ASC`);
}

/**
 * The ids of the matching findings in the list's order (one page of them), and with `counted` how
 * many match. The Findings page takes that number from its tab counts instead: without a count over
 * every match, a page in due-date order is read from the index on the effective due date and stops
 * at its last row, however many findings the history holds.
 */
async function matchingIds(db: Database, params: OrderedFilters, now: Date, page: { limit: number; offset: number; counted: boolean }): Promise<{ ids: number[]; total: number | null }> {
  const where = whereSql([...statusSql(params.status), ...filterSql(params)]);
  const order = orderSql(params);
  const total = page.counted ? Prisma.sql`, count(*) OVER () AS total` : Prisma.empty;
  const rows = await db.prisma.$queryRaw<{ id: number; total?: bigint }[]>(Prisma.sql`
    WITH base AS (${findingsFilterBaseSql(now, findingSetOf(params.status))})
    SELECT id${total} FROM base ${where} ORDER BY ${order} LIMIT ${page.limit} OFFSET ${page.offset}`);
  return { ids: rows.map((row) => row.id), total: page.counted ? (rows.length ? Number(rows[0].total) : 0) : null };
}

/** How many findings a status tab lists, from the counts of every status. */
export function totalOfStatus(status: FindingFilters["status"], counts: Record<FindingStatus, number>): number {
  if (status === "all") return counts.open + counts.overdue + counts.waived + counts.resolved;
  if (status === "active") return counts.open + counts.overdue + counts.waived;
  return counts[status];
}

/** Findings `ids`, whole, in that order. */
async function readFindingsById(db: Database, ids: number[], now: Date): Promise<FindingRow[]> {
  if (ids.length === 0) return [];
  const rows = await db.prisma.$queryRaw<Omit<RawRow, "total">[]>(Prisma.sql`
    WITH base AS (${findingsBaseSql(now)}) SELECT * FROM base WHERE id = ANY(${ids}::int4[])`);
  const byId = new Map(rows.map((row) => [row.id, toFindingRow(row, now)]));
  return ids.map((id) => byId.get(id)).filter((row): row is FindingRow => row !== undefined);
}

/**
 * How many findings each status tab would list, with every other filter applied: the unresolved
 * ones by status, and the resolved ones counted apart (the only count that reads the history).
 */
async function countByStatus(db: Database, filters: FindingFilters, now: Date): Promise<Record<FindingStatus, number>> {
  const where = whereSql(filterSql(filters));
  const [unresolved, resolved] = await Promise.all([
    db.prisma.$queryRaw<{ status: FindingStatus; n: bigint }[]>(Prisma.sql`
      WITH base AS (${findingsFilterBaseSql(now, "unresolved")}) SELECT status, count(*) AS n FROM base ${where} GROUP BY status`),
    db.prisma.$queryRaw<{ n: bigint }[]>(Prisma.sql`
      WITH base AS (${findingsFilterBaseSql(now, "resolved")}) SELECT count(*) AS n FROM base ${where}`),
  ]);
  const counts: Record<FindingStatus, number> = { open: 0, overdue: 0, waived: 0, resolved: Number(resolved[0]?.n ?? 0) };
  for (const row of unresolved) counts[row.status] = Number(row.n);
  return counts;
}

/** Findings with filters, sorting and paging (the Findings page); `scope` filters by subscription and owner tag. */
export async function listFindings(db: Database, params: FindingListParams & { subscription?: string; owner?: string }, now: Date = new Date()): Promise<FindingPage> {
  const [page, counts] = await Promise.all([
    matchingIds(db, params, now, { limit: params.pageSize, offset: (params.page - 1) * params.pageSize, counted: false }),
    // The tabs count with every other filter applied, so each tab's number is what it would list.
    countByStatus(db, params, now),
  ]);
  return {
    rows: await readFindingsById(db, page.ids, now),
    total: totalOfStatus(params.status, counts),
    page: params.page,
    pageSize: params.pageSize,
    counts,
  };
}

/** Every finding that matches, in the list's order, up to `limit` ("select all matching"). */
export async function listMatchingFindings(db: Database, params: OrderedFilters, options: { now?: Date; limit: number }): Promise<{ rows: FindingRow[]; total: number }> {
  const now = options.now ?? new Date();
  const { ids, total } = await matchingIds(db, params, now, { limit: options.limit, offset: 0, counted: true });
  return { rows: await readFindingsById(db, ids, now), total: total ?? 0 };
}

/** The matching findings of an export, read in batches as they are sent. */
export interface MatchingFindingsCursor {
  /** How many findings match (all of them, beyond `limit` too). */
  total: number;
  /** The findings in the list's order, up to `limit`, a batch at a time; the connection is given back at the end. */
  batches: AsyncGenerator<FindingRow[], void, undefined>;
  /** Gives the connection back without reading on (safe to call more than once, or after the end). */
  close(): Promise<void>;
}

/** A row of the export's statement: a whole finding and how many match. */
type CursorRow = Omit<RawRow, "total"> & { total: string };

/** Findings an export reads per batch: large enough for few round trips, small enough to hold lightly. */
export const EXPORT_BATCH = 2_000;

/**
 * Every finding that matches, in the list's order, up to `limit`: one statement over whole rows (no
 * second read by id), read through a cursor `batch` rows at a time, so an export of 100,000 findings
 * is sent as it is read and never held whole. The first batch is read before this returns: a failing
 * statement is an error before the first byte, and `total` is known.
 */
export async function openMatchingFindings(
  db: Database,
  params: OrderedFilters,
  options: { now: Date; limit: number; batch?: number },
): Promise<MatchingFindingsCursor> {
  const batch = options.batch ?? EXPORT_BATCH;
  const where = whereSql([...statusSql(params.status), ...filterSql(params)]);
  const statement = Prisma.sql`
    WITH base AS (${findingsBaseSql(options.now, findingSetOf(params.status))})
    SELECT *, count(*) OVER () AS total FROM base ${where} ORDER BY ${orderSql(params)} LIMIT ${options.limit}`;
  const client = await db.pool.connect();
  const cursor = client.query(new Cursor<CursorRow>(statement.text, statement.values));
  let open = true;
  const close = async () => {
    if (!open) return;
    open = false;
    // A cursor that failed is closed already; its connection may be mid-statement, so it is not reused.
    const failed = await cursor.close().then(() => false, () => true);
    client.release(failed || undefined);
  };
  let first: CursorRow[];
  try {
    first = await cursor.read(batch);
  } catch (error) {
    open = false;
    client.release(true);
    throw error;
  }
  async function* batches(): AsyncGenerator<FindingRow[], void, undefined> {
    try {
      let rows = first;
      while (rows.length > 0) {
        yield rows.map((row) => toFindingRow(row, options.now));
        if (rows.length < batch) break;
        rows = await cursor.read(batch);
      }
    } finally {
      await close();
    }
  }
  return { total: first.length ? Number(first[0].total) : 0, batches: batches(), close };
}

export function toFindingRow(row: Omit<RawRow, "total">, now: Date): FindingRow {
  return {
    id: row.id,
    controlId: row.control_id,
    severity: row.severity,
    status: row.status,
    clusterId: row.cluster_id,
    clusterName: row.cluster_name,
    resourceGroup: row.resource_group,
    subscriptionId: row.subscription_id,
    subscriptionName: row.subscription_name,
    owner: row.owner,
    production: row.production,
    assignee: row.assignee,
    openedAt: row.opened_at.toISOString(),
    resolvedAt: row.resolved_at?.toISOString() ?? null,
    resolution: row.resolution,
    dueAt: row.due_at.toISOString(),
    slaDueAt: row.sla_due_at.toISOString(),
    agreedDueAt: row.agreed_due_at?.toISOString() ?? null,
    dueReason: row.due_reason,
    slaBreached: row.sla_breached,
    ageDays: Math.floor(((row.resolved_at ?? now).getTime() - row.opened_at.getTime()) / 86_400_000),
    waiver:
      row.waiver_id !== null
        ? { id: row.waiver_id, reason: row.waiver_reason ?? "", expiresAt: row.waiver_expires_at!.toISOString(), createdBy: row.waiver_created_by ?? "" }
        : null,
  };
}
