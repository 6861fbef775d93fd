import { expect, test } from "vitest";
import { MAX_WAIVER_DAYS } from "@/lib/db/waivers";
import { MAX_SLA_DAYS } from "./control-policy";
import { MAX_COMMENT_LENGTH, MAX_DUE_DAYS } from "./finding-actions";
import { countForStatus, describeDue, MAX_COMMENT_CHARS, MAX_DUE_DAYS_AHEAD, MAX_SLA_DAYS_SETTING, MAX_WAIVER_DAYS_AHEAD, utcDay } from "./finding-display";
import { findingListParams } from "./list-findings";
import { FINDING_SORT_KEYS, STATUS_FILTERS } from "./finding-display";

test("the pages' limits and choices are the server's", () => {
  expect(MAX_COMMENT_CHARS).toBe(MAX_COMMENT_LENGTH);
  expect(MAX_WAIVER_DAYS_AHEAD).toBe(MAX_WAIVER_DAYS);
  expect(MAX_SLA_DAYS_SETTING).toBe(MAX_SLA_DAYS);
  expect(MAX_DUE_DAYS_AHEAD).toBe(MAX_DUE_DAYS);
  expect([...STATUS_FILTERS]).toEqual(findingListParams.shape.status.unwrap().options);
  expect([...FINDING_SORT_KEYS]).toEqual(findingListParams.shape.sort.unwrap().options);
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
  expect(describeDue("2026-03-02T10:00:00Z", now)).toBe("due within a day");
  expect(describeDue("2026-03-08T23:59:59Z", now)).toBe("due in 7 days");
});
