import { describe, expect, test } from "vitest";
import type { StoredStatus } from "@/lib/db/control-columns";
import { episodesOf, matchFindings, type Episode, type IntervalRow, type StoredFinding } from "./episodes";

const day = (index: number) => new Date(Date.UTC(2026, 0, 1 + index, 6));
const scope = { subscriptionId: "sub", owner: "team", production: true };

/** Intervals of one cluster from (start day, end day or null, NP-02 status); a gap between two is a deletion. */
function intervals(...spans: [number, number | null, StoredStatus][]): IntervalRow[] {
  return spans.map(([from, to, status], index) => ({
    clusterId: 1,
    snapshotId: String(100 + from),
    validFrom: day(from),
    validTo: to === null ? null : day(to),
    nextFrom: spans[index + 1] ? day(spans[index + 1][0]) : null,
    ...scope,
    statuses: { "NP-02": status },
  }));
}

const finding = (id: number, opened: number, resolved: number | null, resolution: StoredFinding["resolution"]): StoredFinding => ({
  id,
  clusterId: 1,
  controlId: "NP-02",
  openedAt: day(opened),
  openedSnapshotId: String(100 + opened),
  resolvedAt: resolved === null ? null : day(resolved),
  resolvedSnapshotId: resolution === "passed" && resolved !== null ? String(100 + resolved) : null,
  resolution,
  ...scope,
});

const episode = (opened: number, resolved: number | null, resolution: Episode["resolution"]): Episode => ({
  clusterId: 1,
  controlId: "NP-02",
  openedAt: day(opened),
  openedSnapshotId: String(100 + opened),
  resolvedAt: resolved === null ? null : day(resolved),
  resolvedSnapshotId: resolution === "passed" && resolved !== null ? String(100 + resolved) : null,
  resolution,
  ...scope,
});

describe("episodes from posture intervals", () => {
  test("a fail opens, n/a keeps, a pass resolves, a deletion closes; each opening is a new episode", () => {
    const rows = intervals([0, 2, "fail"], [2, 3, "na"], [3, 5, "pass"], [5, 7, "fail"], [9, null, "fail"]);
    expect(episodesOf(rows, ["NP-02"])).toEqual([episode(0, 3, "passed"), episode(5, 7, "deleted"), episode(9, null, null)]);
  });

  test("a failing cluster deleted at the end of history closes its episode as deleted", () => {
    expect(episodesOf(intervals([0, 4, "fail"]), ["NP-02"])).toEqual([episode(0, 4, "deleted")]);
  });
});

describe("matching old findings to new episodes", () => {
  test("the same opening time keeps the finding as it is", () => {
    const plan = matchFindings([finding(1, 0, 3, "passed")], [episode(0, 3, "passed")]);
    expect(plan.matched).toEqual([expect.objectContaining({ finding: expect.objectContaining({ id: 1 }), moved: false, changed: false })]);
    expect(plan.opened).toEqual([]);
    expect(plan.superseded).toEqual([]);
  });

  test("an episode that now opens earlier or resolves later keeps the finding that overlaps it most, and says it moved", () => {
    const plan = matchFindings([finding(1, 2, 4, "passed"), finding(2, 8, null, null)], [episode(1, 6, "passed"), episode(8, 9, "passed")]);
    expect(plan.matched.map((match) => [match.finding.id, match.episode.openedAt, match.moved])).toEqual([
      [1, day(1), true],
      [2, day(8), true],
    ]);
  });

  test("a finding whose episode is gone is superseded; an episode no finding stood for is opened", () => {
    const plan = matchFindings([finding(1, 0, 2, "passed")], [episode(5, null, null)]);
    expect(plan.superseded.map((item) => item.id)).toEqual([1]);
    expect(plan.opened).toEqual([episode(5, null, null)]);
  });

  test("rules that change back bring a superseded finding back, by its opening time only", () => {
    const superseded = { ...finding(1, 0, 0, "superseded") };
    const revived = matchFindings([superseded], [episode(0, 3, "passed")]);
    expect(revived.matched).toEqual([expect.objectContaining({ finding: superseded, moved: true })]);
    const other = matchFindings([superseded], [episode(1, 3, "passed")]);
    expect(other.opened).toHaveLength(1);
    expect(other.superseded).toEqual([]); // already superseded: left as it is
  });
});
