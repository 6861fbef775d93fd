import "server-only";
import type { Database } from "@/lib/db/client";
import { Prisma } from "@prisma/client";
import type { KpiScope } from "@/lib/kpi/scope";
import { findingsFilterBaseSql } from "./list-findings";

export interface OverdueOwnerRow {
  owner: string;
  /** Open findings past their SLA due date (not waived), whatever due date was agreed since. */
  overdue: number;
  /** Of those, how many are critical or high. */
  severe: number;
  /** Of those, how many have an agreed due date that has not passed yet (extended). */
  extended: number;
  /** The earliest SLA due date among them (the longest breach). */
  oldestDueAt: string;
}

export interface OverdueByOwner {
  owners: OverdueOwnerRow[];
  /** Owners with overdue findings, including those past `limit`. */
  ownerCount: number;
  /** Overdue findings over all owners in scope. */
  totalOverdue: number;
}

export const DEFAULT_OVERDUE_OWNER_LIMIT = 10;

/**
 * SLA breaches per owner tag: open findings, not waived, past their SLA due date at `now`, whatever
 * due date was agreed since (an extension does not hide a breach); most first, then the longest
 * breached. Same rules as the Findings page's "SLA breached" filter, so the counts match it.
 */
export async function getOverdueByOwner(
  db: Database,
  options: { scope?: KpiScope; now?: Date; limit?: number } = {},
): Promise<OverdueByOwner> {
  const now = options.now ?? new Date();
  const limit = options.limit ?? DEFAULT_OVERDUE_OWNER_LIMIT;
  const subscription = options.scope?.subscriptionId?.toLowerCase() ?? null;
  const owner = options.scope?.owner ?? null;
  const rows = await db.prisma.$queryRaw<{ owner: string; overdue: bigint; severe: bigint; extended: bigint; oldest_due_at: Date; owner_count: bigint; total_overdue: bigint }[]>(Prisma.sql`
    WITH base AS (${findingsFilterBaseSql(now, "unresolved")}),
    per_owner AS (
      SELECT owner, count(*) AS overdue, count(*) FILTER (WHERE severity IN ('critical', 'high')) AS severe,
             count(*) FILTER (WHERE status = 'open') AS extended, min(sla_due_at) AS oldest_due_at
        FROM base
       WHERE status IN ('open', 'overdue') AND sla_breached
         AND (${subscription}::text IS NULL OR subscription_id = ${subscription})
         AND (${owner}::text IS NULL OR owner = ${owner})
       GROUP BY owner)
    SELECT owner, overdue, severe, extended, oldest_due_at,
           count(*) OVER () AS owner_count, (sum(overdue) OVER ())::int8 AS total_overdue
      FROM per_owner
     ORDER BY overdue DESC, oldest_due_at ASC, owner ASC
     LIMIT ${limit}`);
  return {
    owners: rows.map((row) => ({ owner: row.owner, overdue: Number(row.overdue), severe: Number(row.severe), extended: Number(row.extended), oldestDueAt: row.oldest_due_at.toISOString() })),
    ownerCount: rows.length ? Number(rows[0].owner_count) : 0,
    totalOverdue: rows.length ? Number(rows[0].total_overdue) : 0,
  };
}
