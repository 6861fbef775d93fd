// What the findings pages show and send: labels, limits and dates. Client-safe (no server imports);
// the limits mirror the server's (finding-display.test.ts keeps them equal).
import type { Severity } from "./control-policy";
import type { FindingStatus } from "./list-findings";

export const MAX_COMMENT_CHARS = 2_000;
export const MAX_WAIVER_DAYS_AHEAD = 180;
export const MAX_SLA_DAYS_SETTING = 365;
export const MAX_DUE_DAYS_AHEAD = 730;

export const STATUS_FILTERS = ["active", "open", "overdue", "waived", "resolved", "all"] as const;
export type StatusFilter = (typeof STATUS_FILTERS)[number];

export const STATUS_TABS: { value: StatusFilter; label: string; hint: string }[] = [
  { value: "active", label: "Active", hint: "open, overdue and waived" },
  { value: "open", label: "Open", hint: "within their due date" },
  { value: "overdue", label: "Overdue", hint: "past their due date" },
  { value: "waived", label: "Waived", hint: "a waiver is in force" },
  { value: "resolved", label: "Resolved", hint: "the control passes again, or the cluster was deleted" },
  { value: "all", label: "All", hint: "every finding" },
];

export function countForStatus(counts: Record<FindingStatus, number>, status: StatusFilter): number {
  if (status === "active") return counts.open + counts.overdue + counts.waived;
  if (status === "all") return counts.open + counts.overdue + counts.waived + counts.resolved;
  return counts[status];
}

export const SEVERITIES: Severity[] = ["critical", "high", "medium", "low"];

export const STATUS_LABEL: Record<FindingStatus, string> = { open: "Open", overdue: "Overdue", waived: "Waived", resolved: "Resolved" };

export const FINDING_SORT_KEYS = ["severity", "age", "due", "cluster", "control", "owner", "assignee", "status"] as const;
export type FindingSortKey = (typeof FINDING_SORT_KEYS)[number];
export type SortDirection = "asc" | "desc";

/** The API sorts `age` by the opening time: ascending is the oldest (largest age) first. */
export const FIRST_SORT_DIRECTION: Record<FindingSortKey, SortDirection> = {
  severity: "desc",
  age: "asc",
  due: "asc",
  cluster: "asc",
  control: "asc",
  owner: "asc",
  assignee: "asc",
  status: "asc",
};
export const DEFAULT_FINDING_SORT: { sort: FindingSortKey; dir: SortDirection } = { sort: "due", dir: "asc" };

export const FINDING_PAGE_SIZES = [25, 50, 100] as const;
export const DEFAULT_FINDING_PAGE_SIZE = 50;

/** The assignee filter's value for "nobody" (the API's own spelling). */
export const UNASSIGNED = "(unassigned)";

const DAY_MS = 86_400_000;

/** YYYY-MM-DD of the UTC day `days` after the day of `from` (the server judges dates in UTC). */
export function utcDay(from: number | Date, days = 0): string {
  const time = typeof from === "number" ? from : from.getTime();
  return new Date(time + days * DAY_MS).toISOString().slice(0, 10);
}

export { formatDate, formatDateTime as formatDateTimeUtc, formatThrough, lastCoveredDay } from "@/lib/format";

/** Whole UTC days from today to the day `value` covers last: negative when that day is past. */
export function daysUntil(value: string, now: number): number {
  const lastDay = Date.parse(`${new Date(new Date(value).getTime() - 1).toISOString().slice(0, 10)}T00:00:00Z`);
  const today = Date.parse(`${new Date(now).toISOString().slice(0, 10)}T00:00:00Z`);
  return Math.round((lastDay - today) / DAY_MS);
}

/** "due in 5 days", "due today", "12 days overdue" (days counted in UTC calendar days). */
export function describeDue(dueAt: string, now: number): string {
  if (new Date(dueAt).getTime() < now) {
    const days = Math.max(1, -daysUntil(dueAt, now));
    return `${days} ${days === 1 ? "day" : "days"} overdue`;
  }
  const days = daysUntil(dueAt, now);
  if (days === 0) return "due today";
  return `due in ${days} ${days === 1 ? "day" : "days"}`;
}

export function plural(count: number, noun: string, nouns = `${noun}s`): string {
  return `${count.toLocaleString("en-US")} ${count === 1 ? noun : nouns}`;
}

/** The collector writes as "bulkhead"; people see who did it. */
export function describeActor(actor: string): string {
  return actor === "bulkhead" ? "Bulkhead (collection run)" : actor;
}

export const SIGN_IN_METHOD_LABEL: Record<string, string> = { credential: "Password", microsoft: "Microsoft Entra ID" };
