// "As of a day" (docs/compliance.md): the state at the end of that UTC day, the instant a KPI trend
// point stands for (docs/design.md §5), so a pack for 31 March says what the Trends page shows for
// 31 March. Today has not ended: its as-of is now, and figures for it can still change.
import "server-only";
import type { Database } from "@/lib/db/client";
import { AppError } from "@/lib/errors";

export const DAY_MS = 86_400_000;

/** The last millisecond of a UTC day (timestamps are stored to the millisecond). */
export function endOfUtcDay(day: string): Date {
  return new Date(Date.parse(`${day}T00:00:00.000Z`) + DAY_MS - 1);
}

export function utcDayOf(date: Date): string {
  return date.toISOString().slice(0, 10);
}

export interface HistoryBounds {
  /** The first UTC day with a recorded cluster state; null when the store holds none. */
  firstDay: string | null;
}

/**
 * Where recorded history starts: the first posture interval (one indexed row). Where it ends is not
 * asked: any day up to today is allowed (a day after the latest run shows the state carried forward),
 * and the latest snapshot's time has no index of its own (a scan of every snapshot, a second at
 * 10,000 clusters × 365 days).
 */
export async function getHistoryBounds(db: Database): Promise<HistoryBounds> {
  const [row] = await db.prisma.$queryRaw<{ first: Date | null }[]>`SELECT min(valid_from) AS first FROM posture_intervals`;
  return { firstDay: row?.first ? utcDayOf(row.first) : null };
}

export interface ResolvedAsOf {
  /** The instant the state is read at. */
  at: Date;
  /** The UTC day it belongs to. */
  day: string;
  /** True for today: the day has not ended, the figures are those of `now`. */
  partialDay: boolean;
}

/**
 * A day (YYYY-MM-DD: its end) or an ISO instant, checked against history. `option` names the
 * parameter in messages ("asOf" for the API, "--as-of" for the CLI).
 */
export function resolveAsOf(input: { day?: string; at?: Date }, bounds: HistoryBounds, option: string, now = new Date()): ResolvedAsOf {
  if (!bounds.firstDay) throw new AppError("bad-request", `${option}: the store holds no history yet; run a collection (or \`bulkhead demo\`) first`);
  const today = utcDayOf(now);
  let resolved: ResolvedAsOf;
  if (input.at) {
    if (input.at.getTime() > now.getTime()) throw new AppError("bad-request", `${option}: ${input.at.toISOString()} is in the future`);
    resolved = { at: input.at, day: utcDayOf(input.at), partialDay: false };
  } else {
    const day = input.day ?? today;
    if (day > today) throw new AppError("bad-request", `${option}: ${day} is after today (${today})`);
    resolved = day === today ? { at: now, day, partialDay: true } : { at: endOfUtcDay(day), day, partialDay: false };
  }
  if (resolved.day < bounds.firstDay) {
    throw new AppError("bad-request", `${option}: ${resolved.day} is before the history, which starts on ${bounds.firstDay}`);
  }
  return resolved;
}
