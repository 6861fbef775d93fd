import "server-only";
import type { Database } from "@/lib/db/client";

export interface AssigneeOption {
  assignee: string;
  /** Findings not yet resolved that are assigned to them. */
  active: number;
}

export const MAX_ASSIGNEE_OPTIONS = 200;

/** Everyone findings have been assigned to (people and teams): the assignee filter and suggestions. */
export async function listAssignees(db: Database): Promise<AssigneeOption[]> {
  const rows = await db.prisma.$queryRaw<{ assignee: string; active: bigint }[]>`
    SELECT assignee, count(*) FILTER (WHERE resolved_at IS NULL) AS active
      FROM findings WHERE assignee IS NOT NULL
     GROUP BY assignee
     ORDER BY active DESC, lower(assignee) ASC
     LIMIT ${MAX_ASSIGNEE_OPTIONS}`;
  return rows.map((row) => ({ assignee: row.assignee, active: Number(row.active) }));
}
