import { Prisma } from "@prisma/client";
import { CONTROLS } from "@/lib/posture";
import { SEVERITY_RANK } from "./control-policy";
import { effectiveDueSql } from "./sla-sql";

/**
 * The status of finding `f` at `at`, from what is stored on the finding itself: its resolution, its
 * waiver window (findings.waived_from/waived_until, kept by a trigger on waivers) and its due date.
 * A waiver's expiry and a due date passing are comparisons with `at`, so nothing needs rewriting as
 * time passes, and no list looks up the waivers of every finding.
 */
export function findingStatusSql(at: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`CASE WHEN f.resolved_at IS NOT NULL AND f.resolved_at <= ${at} THEN 'resolved'
                WHEN f.waived_from <= ${at} AND f.waived_until > ${at} THEN 'waived'
                WHEN ${effectiveDueSql()} < ${at} THEN 'overdue'
                ELSE 'open' END`;
}

/** Finding `f` is not resolved at `at` (open, overdue or waived): what the `findings_resolved_at_idx` index serves. */
export function unresolvedAtSql(at: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`(f.resolved_at IS NULL OR f.resolved_at > ${at})`;
}

// Control ids and severities come from our own catalogue, never from input: spliced as text.
const SEVERITY_CASE = `CASE f.control_id ${CONTROLS.map((control) => `WHEN '${control.id}' THEN '${control.severity}'`).join(" ")} END`;
const SEVERITY_RANK_CASE = `CASE f.control_id ${CONTROLS.map((control) => `WHEN '${control.id}' THEN ${SEVERITY_RANK[control.severity]}`).join(" ")} ELSE 1 END`;

/** The severity of finding `f`'s control, and its rank (critical 4 … low 1), without a join. */
export function severitySql(): { severity: Prisma.Sql; rank: Prisma.Sql } {
  return { severity: Prisma.raw(SEVERITY_CASE), rank: Prisma.raw(SEVERITY_RANK_CASE) };
}
