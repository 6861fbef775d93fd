import { describe, expect, test } from "vitest";
import { dayLabelIndexes } from "./day-labels";
import { bandPath, niceTicks } from "./static-line-chart";

describe("the static chart's axes", () => {
  test("value ticks start at 0, step by 1, 2, 2.5 or 5 × 10ⁿ and reach the largest value", () => {
    expect(niceTicks(100)).toEqual([0, 25, 50, 75, 100]);
    expect(niceTicks(37)).toEqual([0, 10, 20, 30, 40]);
    expect(niceTicks(7, { allowDecimals: false })).toEqual([0, 2, 4, 6, 8]);
    expect(niceTicks(3, { allowDecimals: false })).toEqual([0, 1, 2, 3, 4]);
    expect(niceTicks(0.9)).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(niceTicks(12_345)).toEqual([0, 5000, 10000, 15000, 20000]);
    // No data: an axis still, from 0.
    expect(niceTicks(0)).toEqual([0, 1, 2, 3, 4]);
    for (const max of [1, 9, 99, 101, 4_999, 86_400]) {
      const ticks = niceTicks(max);
      expect(ticks.at(-1)!).toBeGreaterThanOrEqual(max);
      expect(ticks.at(-1)! / 2).toBeLessThan(max * 1.01 + 1);
    }
  });

  test("day labels: as many as fit, evenly spaced, ending on the last day", () => {
    // 760 px fit 11 labels of 64 px: every 9th day of 90, back from the last.
    expect(dayLabelIndexes(90, 760, 64)).toEqual([8, 17, 26, 35, 44, 53, 62, 71, 80, 89]);
    expect(dayLabelIndexes(365, 420, 110)).toEqual([120, 242, 364]);
    expect(dayLabelIndexes(1, 1120, 64)).toEqual([0]);
    expect(dayLabelIndexes(0, 1120, 64)).toEqual([]);
    // Narrow: never fewer than two labels.
    expect(dayLabelIndexes(30, 50, 64)).toEqual([14, 29]);
  });
});

describe("the static chart's bands", () => {
  test("a band is one outline: each day's top held until the next day, then back along its base", () => {
    // Three days at a maximum of 10: from 2 up to 6 on day 1 and to 4 on day 2 (the last day only ends the step).
    expect(bandPath({ values: [6, 4, 9], base: [2, 2, 2] }, 10)).toBe("M0.0,800.0 V400.0 H500.0 V600.0 H1000.0 V800.0 H500.0 V800.0 H0.0 Z");
    // Without a base it stands on 0; a missing day draws nothing that day.
    expect(bandPath({ values: [null, 10, 0] }, 10)).toBe("M0.0,1000.0 V1000.0 H500.0 V0.0 H1000.0 V1000.0 H500.0 V1000.0 H0.0 Z");
    // Values beyond the axis are cut at its top.
    expect(bandPath({ values: [50, 50] }, 10)).toBe("M0.0,1000.0 V0.0 H1000.0 V1000.0 H0.0 Z");
    // Nothing to shade: no outline.
    expect(bandPath({ values: [3, 3, 3], base: [3, 3, 3] }, 10)).toBeNull();
    expect(bandPath({ values: [0, 0, 5] }, 10)).toBeNull();
    expect(bandPath({ values: [5] }, 10)).toBeNull();
  });
});
