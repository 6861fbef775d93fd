import { expect, test } from "vitest";
import { MAX_WAIVER_DAYS } from "@/lib/db/waivers";
import { MAX_SLA_DAYS } from "./control-policy";
import { MAX_COMMENT_LENGTH, MAX_DUE_DAYS } from "./finding-actions";
import { countForStatus, describeDue, MAX_COMMENT_CHARS, MAX_DUE_DAYS_AHEAD, MAX_SLA_DAYS_SETTING, MAX_WAIVER_DAYS_AHEAD, utcDay } from "./finding-display";
import { findingListParams } from "./list-findings";
import { formatDate, formatDateTime, formatThrough } from "@/lib/format";
import { FINDING_SORT_KEYS, STATUS_FILTERS } from "./finding-display";

test("the pages' limits and choices are the server's", () => {
  expect(MAX_COMMENT_CHARS).toBe(MAX_COMMENT_LENGTH);
  expect(MAX_WAIVER_DAYS_AHEAD).toBe(MAX_WAIVER_DAYS);
  expect(MAX_SLA_DAYS_SETTING).toBe(MAX_SLA_DAYS);
  expect(MAX_DUE_DAYS_AHEAD).toBe(MAX_DUE_DAYS);
  expect([...STATUS_FILTERS]).toEqual(findingListParams.shape.status.unwrap().options);
  expect([...FINDING_SORT_KEYS]).toEqual(findingListParams.shape.sort.unwrap().options);
});

test("one way to write dates: a time, a day, and the last day a due date or waiver covers", () => {
  expect(formatDateTime("2026-06-10T02:02:41.000Z")).toBe("10 Jun 2026, 02:02 UTC");
  expect(formatDate("2026-02-27T23:59:59.999Z")).toBe("27 Feb 2026");
  // A due date is the end of its day; a waiver ends at 00:00 the day after its last day: both read "through 27 Feb".
  expect(formatThrough("2026-02-27T23:59:59.999Z")).toBe("through 27 Feb 2026");
  expect(formatThrough("2026-02-28T00:00:00.000Z")).toBe("through 27 Feb 2026");
  expect(formatThrough("2026-02-28T00:00:00.000Z", { year: false })).toBe("through 27 Feb");
});

test("status counts, UTC days and due wording", () => {
  const counts = { open: 3, overdue: 2, waived: 1, resolved: 10 };
  expect(countForStatus(counts, "active")).toBe(6);
  expect(countForStatus(counts, "all")).toBe(16);
  expect(countForStatus(counts, "overdue")).toBe(2);
  const now = Date.parse("2026-03-01T23:30:00Z");
  expect(utcDay(now)).toBe("2026-03-01");
  expect(utcDay(now, 180)).toBe("2026-08-28");
  expect(describeDue("2026-02-20T00:00:00Z", now)).toBe("10 days overdue");
  // Due dates are days (the end of a UTC day): counted in calendar days.
  expect(describeDue("2026-03-01T23:59:59.999Z", now)).toBe("due today");
  expect(describeDue("2026-03-02T23:59:59.999Z", now)).toBe("due in 1 day");
  expect(describeDue("2026-03-08T23:59:59Z", now)).toBe("due in 7 days");
});
