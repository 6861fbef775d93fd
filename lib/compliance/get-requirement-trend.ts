import "server-only";
import { Prisma } from "@prisma/client";
import type { Database } from "@/lib/db/client";
import { controlStatusArraySql, fromStoredStatus, type StoredStatus } from "@/lib/db/control-columns";
import { CONTROL_IDS, type ControlId } from "@/lib/posture/control-catalogue";
import { DAY_MS } from "./as-of";
import { complianceScopeSql, type ComplianceScope } from "./compliance-scope";
import type { Framework } from "./frameworks";
import { addOutcome, controlOutcome, NO_OUTCOMES, passRateOf, requirementOutcome, type OutcomeCounts } from "./requirement-outcome";

export const REQUIREMENT_TREND_DAYS = [30, 90, 180, 365] as const;
export type RequirementTrendDays = (typeof REQUIREMENT_TREND_DAYS)[number];

export interface RequirementTrendPoint extends OutcomeCounts {
  /** UTC day, YYYY-MM-DD: the state at its end. */
  day: string;
  passRate: number | null;
}

export interface RequirementTrend {
  framework: string;
  fromDay: string;
  toDay: string;
  /** One series per requirement, in framework order, one point per day. */
  series: { id: string; points: RequirementTrendPoint[] }[];
}

type VectorRow = { day: string; statuses: StoredStatus[]; waived: string[]; clusters: bigint };

/**
 * Each requirement's pass rate at the end of each UTC day from `fromDay` to `toDay`, the instant the
 * KPI trend and an evidence pack for that day read (docs/compliance.md). The database counts the
 * clusters per day and distinct state (seven statuses and the waived controls), which are few; each
 * state is judged once per requirement here.
 */
export async function getRequirementTrend(db: Database, params: { framework: Framework; fromDay: string; toDay: string; scope: ComplianceScope }): Promise<RequirementTrend> {
  const first = Date.parse(`${params.fromDay}T00:00:00.000Z`);
  const last = Date.parse(`${params.toDay}T00:00:00.000Z`);
  const t0 = new Date(first + DAY_MS - 1);
  const tLast = new Date(last + DAY_MS - 1);
  const rows = await db.prisma.$queryRaw<VectorRow[]>(Prisma.sql`
    WITH days AS (
      SELECT d::date AS day, (d + interval '1 day' - interval '1 millisecond') AT TIME ZONE 'UTC' AS t
        FROM generate_series(${params.fromDay}::date::timestamp, ${params.toDay}::date::timestamp, interval '1 day') AS d
    ),
    live AS (
      SELECT d.day, pi.cluster_id, ${Prisma.raw(controlStatusArraySql("pi"))} AS statuses
        FROM posture_intervals pi
        JOIN days d ON pi.valid_from <= d.t AND (pi.valid_to IS NULL OR pi.valid_to > d.t)
       WHERE pi.valid_from <= ${tLast}::timestamptz AND (pi.valid_to IS NULL OR pi.valid_to > ${t0}::timestamptz)
         AND ${complianceScopeSql(params.scope, "pi")}
    ),
    waived AS (
      SELECT d.day, w.cluster_id, array_agg(DISTINCT w.control_id ORDER BY w.control_id) AS controls
        FROM waivers w
        JOIN days d ON w.created_at <= d.t AND w.expires_at > d.t AND (w.revoked_at IS NULL OR w.revoked_at > d.t)
       GROUP BY d.day, w.cluster_id
    )
    SELECT to_char(l.day, 'YYYY-MM-DD') AS day, l.statuses, COALESCE(wv.controls, '{}'::text[]) AS waived, count(*) AS clusters
      FROM live l LEFT JOIN waived wv ON wv.day = l.day AND wv.cluster_id = l.cluster_id
     GROUP BY l.day, l.statuses, wv.controls`);

  const days: string[] = [];
  for (let ms = first; ms <= last; ms += DAY_MS) days.push(new Date(ms).toISOString().slice(0, 10));
  const counts = new Map<string, OutcomeCounts>();
  const keyOf = (requirement: string, day: string) => `${requirement}\u0000${day}`;
  for (const row of rows) {
    const waived = new Set(row.waived);
    const outcomeOf = (id: ControlId) => controlOutcome(fromStoredStatus(row.statuses[CONTROL_IDS.indexOf(id)]), waived.has(id));
    for (const requirement of params.framework.requirements) {
      const key = keyOf(requirement.id, row.day);
      counts.set(key, addOutcome(counts.get(key) ?? NO_OUTCOMES, requirementOutcome(requirement.controls, outcomeOf), Number(row.clusters)));
    }
  }
  return {
    framework: params.framework.id,
    fromDay: params.fromDay,
    toDay: params.toDay,
    series: params.framework.requirements.map((requirement) => ({
      id: requirement.id,
      points: days.map((day) => {
        const dayCounts = counts.get(keyOf(requirement.id, day)) ?? NO_OUTCOMES;
        return { day, ...dayCounts, passRate: passRateOf(dayCounts) };
      }),
    })),
  };
}
