// Which failing checks an exceptions file covers: one matcher for `bulkhead analyze --exceptions`
// and for the dashboard's import, so the command line and the dashboard agree.

import type { Direction, PolicyKind } from "../posture";
import type { ExceptionEntry } from "./exceptions-file";

/** Something that fails: a control in a namespace, an allow-any rule, or a control of a whole cluster. */
export type ExceptionTarget =
  | { kind: "namespace"; control: string; namespace: string }
  | { kind: "rule"; control: "NP-06"; rule: { kind: PolicyKind; namespace: string | null; policy: string; direction: Direction; list: string; index: number } }
  | { kind: "cluster"; control: string; names: readonly string[] };

const DAY_MS = 86_400_000;

/** An exception applies through the end of its `expires` day (UTC), as a dashboard waiver does. */
export function exceptionEndsAt(entry: Pick<ExceptionEntry, "expires">): Date {
  return new Date(new Date(`${entry.expires}T00:00:00Z`).getTime() + DAY_MS);
}

export function isExpired(entry: Pick<ExceptionEntry, "expires">, now: Date): boolean {
  return exceptionEndsAt(entry).getTime() <= now.getTime();
}

export function exceptionMatches(entry: ExceptionEntry, target: ExceptionTarget): boolean {
  if (target.kind === "rule") {
    if (entry.rule) {
      const rule = entry.rule;
      return (
        rule.kind === target.rule.kind &&
        (rule.namespace ?? null) === target.rule.namespace &&
        rule.policy === target.rule.policy &&
        rule.index === target.rule.index &&
        (rule.direction === undefined || rule.direction === target.rule.direction) &&
        (rule.list === undefined || rule.list === target.rule.list)
      );
    }
    // `control: NP-06` with a namespace covers that namespace's allow-any rules; without one, all of them.
    return entry.control === "NP-06" && entry.cluster === null && (entry.namespace === null || entry.namespace === target.rule.namespace);
  }
  if (entry.rule || entry.control !== target.control) return false;
  if (target.kind === "namespace") return entry.cluster === null && (entry.namespace === null || entry.namespace === target.namespace);
  return entry.namespace === null && (entry.cluster === null || target.names.includes(entry.cluster));
}

export type ExceptionStatus = "applied" | "unmatched" | "expired";

export interface ExceptionOutcome {
  entry: ExceptionEntry;
  status: ExceptionStatus;
  /** How many failing checks it covers (0 when expired: it covers none). */
  matches: number;
}

export interface ExceptionsApplied {
  /** For each target (by position), the exception that covers it, or null. */
  covering: (ExceptionEntry | null)[];
  outcomes: ExceptionOutcome[];
}

/**
 * Covers each failing target with the first exception (in file order) that matches it and has not
 * expired. An expired exception covers nothing and is reported; so is one that matches nothing.
 */
export function applyExceptions(entries: readonly ExceptionEntry[], targets: readonly ExceptionTarget[], now: Date): ExceptionsApplied {
  const counts = new Map<ExceptionEntry, number>();
  const covering = targets.map((target) => {
    const entry = entries.find((candidate) => !isExpired(candidate, now) && exceptionMatches(candidate, target)) ?? null;
    if (entry) counts.set(entry, (counts.get(entry) ?? 0) + 1);
    return entry;
  });
  const outcomes = entries.map((entry): ExceptionOutcome => {
    if (isExpired(entry, now)) return { entry, status: "expired", matches: 0 };
    const matches = counts.get(entry) ?? 0;
    return { entry, status: matches > 0 ? "applied" : "unmatched", matches };
  });
  return { covering, outcomes };
}
