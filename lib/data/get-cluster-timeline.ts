import "server-only";
import type { Database } from "@/lib/db/client";
import { percent } from "@/lib/kpi/scope";

/** A cluster's state at the end of one UTC day (or now, for today). */
export interface ClusterTimelinePoint {
  /** UTC day, YYYY-MM-DD. */
  day: string;
  /** False on days the cluster was not known (before first seen, after deletion): the other fields are null. */
  present: boolean;
  engineEnabled: boolean | null;
  /** passed ÷ (passed + failed) × 100 over NP-01…NP-07; n/a left out; null when nothing was judged. */
  passRate: number | null;
  passed: number | null;
  failed: number | null;
  /** Null when NP-06 was n/a (in-cluster objects not read). */
  allowAny: number | null;
}

export interface ClusterTimeline {
  clusterId: number;
  days: number;
  from: string;
  to: string;
  points: ClusterTimelinePoint[];
}

type IntervalRow = {
  valid_from: Date;
  valid_to: Date | null;
  engine_enabled: boolean;
  controls_passed: number;
  controls_failed: number;
  allow_any_count: number;
  np06: "pass" | "fail" | "na";
};

const MAX_INT4 = 2_147_483_647;
const DAY_MS = 86_400_000;

function startOfUtcDay(date: Date): Date {
  return new Date(Math.floor(date.getTime() / DAY_MS) * DAY_MS);
}

const addUtcDays = (date: Date, days: number) => new Date(date.getTime() + days * DAY_MS);
const utcDayText = (date: Date) => date.toISOString().slice(0, 10);

/**
 * The posture timeline of one cluster: engine and audit pass rate at the end of each UTC day, read
 * from its posture intervals (one row per stretch of unchanged state, so a year is a handful of rows).
 * Null when the cluster does not exist.
 */
export async function getClusterTimeline(db: Database, clusterId: number, days: number, now: Date = new Date()): Promise<ClusterTimeline | null> {
  if (!Number.isSafeInteger(clusterId) || clusterId < 1 || clusterId > MAX_INT4) return null;
  const lastDay = startOfUtcDay(now);
  const firstDay = addUtcDays(lastDay, -(days - 1));
  const [clusters, intervals] = await Promise.all([
    db.prisma.$queryRaw<{ id: number }[]>`SELECT id FROM clusters WHERE id = ${clusterId}`,
    db.prisma.$queryRaw<IntervalRow[]>`
      SELECT valid_from, valid_to, engine_enabled, controls_passed, controls_failed, allow_any_count, np06::text AS np06
        FROM posture_intervals
       WHERE cluster_id = ${clusterId} AND valid_from < ${addUtcDays(lastDay, 1)} AND (valid_to IS NULL OR valid_to > ${firstDay})
       ORDER BY valid_from`,
  ]);
  if (clusters.length === 0) return null;

  const points: ClusterTimelinePoint[] = [];
  let cursor = 0;
  for (let day = firstDay; day <= lastDay; day = addUtcDays(day, 1)) {
    const end = addUtcDays(day, 1);
    // The state at the end of the day; today ends now.
    const at = end > now ? now : new Date(end.getTime() - 1);
    while (cursor < intervals.length - 1 && intervals[cursor + 1].valid_from <= at) cursor += 1;
    const interval = intervals[cursor];
    const inside = interval && interval.valid_from <= at && (interval.valid_to === null || interval.valid_to > at);
    const dayText = utcDayText(day);
    points.push(
      inside
        ? {
            day: dayText,
            present: true,
            engineEnabled: interval.engine_enabled,
            passRate: percent(interval.controls_passed, interval.controls_passed + interval.controls_failed),
            passed: interval.controls_passed,
            failed: interval.controls_failed,
            // Without in-cluster data NP-06 is n/a: the count is not known, not zero.
            allowAny: interval.np06 === "na" ? null : interval.allow_any_count,
          }
        : { day: dayText, present: false, engineEnabled: null, passRate: null, passed: null, failed: null, allowAny: null },
    );
  }
  return { clusterId, days, from: utcDayText(firstDay), to: utcDayText(lastDay), points };
}
