import { describe, expect, test } from "vitest";
import type { MigrationCluster, MigrationView } from "@/lib/data/get-migration-view";
import { pageOfMigrationView } from "./migration-page";
import { assessReadiness, type Verdict } from "@/lib/migration/readiness";

const linux = assessReadiness({ id: "/x", name: "x", resourceGroup: "rg", kubernetesVersion: "1.30.0", networkProfile: { networkPlugin: "azure", networkPolicy: "azure" }, agentPoolProfiles: [{ name: "sys", count: 3, osType: "Linux" }] }, null);

function cluster(id: number, verdict: Verdict, windows = false): MigrationCluster {
  return { ...linux, verdict, windowsPools: windows ? ["win"] : [], id, name: `c${id}`, owner: "team", subscriptionId: "s", subscriptionName: null, resourceGroup: "rg", capturedAt: "2026-12-07T02:00:00.000Z", daysLeft: 600 };
}

function view(clusters: MigrationCluster[]): MigrationView {
  return { today: "2026-12-07", days: ["2026-12-07"], burnDown: { npm: [clusters.length], cilium: [0], calico: [0], none: [0], other: [0] }, owners: [], clusters, deadlines: { windows: "2025-09-30", linux: "2028-09-30" } };
}

// 7 blocked (2 with Windows pools), 3 needing work, 1 not fully checked, 2 ready; interleaved as the view orders them.
const verdicts: Verdict[] = ["blocked", "needs-work", "blocked", "ready", "blocked", "incomplete", "blocked", "needs-work", "blocked", "ready", "blocked", "needs-work", "blocked"];
const all = verdicts.map((verdict, index) => cluster(index + 1, verdict, index === 0 || index === 4));

describe("pageOfMigrationView", () => {
  test("a page holds its slice of the list in the view's order; the counts are the whole list's", () => {
    const page = pageOfMigrationView(view(all), { page: 2, pageSize: 5 });
    expect(page.clusters.map((c) => c.id)).toEqual([6, 7, 8, 9, 10]);
    expect(page).toMatchObject({ total: 13, page: 2, pageSize: 5, pageCount: 3, verdict: null, withWindowsPools: 2 });
    expect(page.verdicts).toEqual({ blocked: 7, "needs-work": 3, incomplete: 1, ready: 2 });
    expect(pageOfMigrationView(view(all), { page: 3, pageSize: 5 }).clusters.map((c) => c.id)).toEqual([11, 12, 13]);
  });

  test("a verdict narrows the list and its paging, not the summary counts", () => {
    const page = pageOfMigrationView(view(all), { page: 2, pageSize: 5, verdict: "blocked" });
    expect(page.clusters.map((c) => c.id)).toEqual([11, 13]);
    expect(page).toMatchObject({ total: 7, page: 2, pageCount: 2, verdict: "blocked", withWindowsPools: 2 });
    expect(page.verdicts.blocked).toBe(7);
    expect(page.verdicts.ready).toBe(2);
  });

  test("a page past the last shows the last; an empty list is one empty page", () => {
    expect(pageOfMigrationView(view(all), { page: 99, pageSize: 10 })).toMatchObject({ page: 2, pageCount: 2 });
    expect(pageOfMigrationView(view(all), { page: 99, pageSize: 10 }).clusters.map((c) => c.id)).toEqual([11, 12, 13]);
    const empty = pageOfMigrationView(view([]), { page: 3, pageSize: 25 });
    expect(empty).toMatchObject({ clusters: [], total: 0, page: 1, pageCount: 1, withWindowsPools: 0 });
    expect(pageOfMigrationView(view(all), { page: 1, pageSize: 25, verdict: "incomplete" }).clusters.map((c) => c.id)).toEqual([6]);
  });

  test("the page carries the view's other parts and no cluster beyond its page", () => {
    const source = view(all);
    const page = pageOfMigrationView(source, { page: 1, pageSize: 2 });
    expect(page.burnDown).toBe(source.burnDown);
    expect(page.deadlines).toEqual(source.deadlines);
    expect(JSON.stringify(page)).not.toContain('"name":"c3"');
  });
});
