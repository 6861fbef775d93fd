import { describe, expect, it } from "vitest";
import { describeGoal, GOALS, meets, responseGoalOf } from "./goals";

describe("benchmark goals", () => {
  it("judges times and sizes as upper bounds and scores as lower bounds, the limit itself meeting the goal", () => {
    expect(meets(500, GOALS.responseP95)).toBe(true);
    expect(meets(500.1, GOALS.responseP95)).toBe(false);
    expect(meets(95, GOALS.lighthousePerformance.demo)).toBe(true);
    expect(meets(94, GOALS.lighthousePerformance.demo)).toBe(false);
    expect(meets(null, GOALS.responseP95)).toBeNull();
    expect(meets(Number.NaN, GOALS.responseP95)).toBeNull();
  });

  it("prints each goal with its unit, a ratio without one", () => {
    expect(describeGoal(GOALS.firstLoadJs)).toBe("<= 200 KB");
    expect(describeGoal(GOALS.lighthousePerformance.scale)).toBe(">= 90 score");
    expect(describeGoal(GOALS.ingestRatio)).toBe("<= 2");
  });

  it("gives a route its own response goal where it has one, else the common one", () => {
    expect(responseGoalOf("/api/overview").limit).toBe(150);
    expect(responseGoalOf("/trends?range=365&by=owner").limit).toBe(200);
    expect(responseGoalOf("/clusters")).toBe(GOALS.responseP95);
  });
});
