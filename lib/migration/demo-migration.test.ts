// The demo estate tells the migration story the Migration page charts (docs/migration.md): in 2026
// new clusters are created on Cilium (a few on Calico), Azure NPM clusters move to Cilium over the
// period, and the ones left are blocked, need work or are ready. Judged the way the page judges
// them: each cluster's engine from its listing, readiness from the listing and its in-cluster objects.
import { describe, expect, test } from "vitest";
import { readEngine } from "@/lib/posture/cluster-facts";
import { createDemoEstate } from "@/lib/sources/demo";
import { listEstate } from "@/lib/sources/source";
import { engineGroupOf, type EngineGroup } from "./engine-groups";
import { assessReadiness, type Verdict } from "./readiness";

const END_AT = new Date("2026-12-07T02:00:00.000Z");

type Listed = { id: string; name: string; resourceGroup: string; networkProfile?: { networkPolicy?: unknown; networkDataplane?: unknown } };

interface DayCount {
  engines: Record<EngineGroup, number>;
  /** Names of the clusters on each engine. */
  names: Record<EngineGroup, Set<string>>;
  listed: { cluster: Listed; subscriptionId: string }[];
}

async function countDay(estate: ReturnType<typeof createDemoEstate>, dayIndex: number): Promise<DayCount> {
  const engines: Record<EngineGroup, number> = { npm: 0, cilium: 0, calico: 0, none: 0, other: 0 };
  const names = { npm: new Set<string>(), cilium: new Set<string>(), calico: new Set<string>(), none: new Set<string>(), other: new Set<string>() };
  const listed: { cluster: Listed; subscriptionId: string }[] = [];
  for (const listing of await listEstate(estate.day(dayIndex).source)) {
    if (!listing.ok) continue;
    for (const cluster of listing.clusters as Listed[]) {
      const group = engineGroupOf(readEngine(cluster.networkProfile?.networkPolicy, cluster.networkProfile?.networkDataplane).engine);
      engines[group] += 1;
      names[group].add(cluster.name);
      listed.push({ cluster, subscriptionId: listing.subscriptionId });
    }
  }
  return { engines, names, listed };
}

describe.each([
  // The end-to-end suite's estate, and the demo's default one.
  { clusters: 60, days: 200 },
  { clusters: 150, days: 180 },
])("the demo's migration at $clusters clusters × $days days", ({ clusters, days }) => {
  test("Azure NPM falls while Cilium rises; new clusters start on Cilium or Calico; the NPM clusters left are blocked, need work or are ready", async () => {
    const estate = createDemoEstate({ clusters, days, endAt: END_AT });
    const back = Math.max(0, days - 181);
    const before = await countDay(estate, back);
    const now = await countDay(estate, days - 1);

    // The burn-down falls clearly, not by one: at least a quarter fewer NPM clusters.
    expect(now.engines.npm).toBeLessThanOrEqual(Math.floor(before.engines.npm * 0.75));
    expect(now.engines.cilium).toBeGreaterThanOrEqual(before.engines.cilium * 2);
    expect(now.engines.cilium).toBeGreaterThan(now.engines.calico);
    // No cluster joins NPM during the period: every NPM cluster at the end was on NPM already.
    for (const name of now.names.npm) expect(before.names.npm.has(name), name).toBe(true);

    const verdicts: Record<Verdict, number> = { blocked: 0, "needs-work": 0, incomplete: 0, ready: 0 };
    let windowsNpm = 0;
    const run = estate.day(days - 1);
    for (const { cluster, subscriptionId } of now.listed) {
      if (!now.names.npm.has(cluster.name)) continue;
      const read = await run.source.readInCluster({ id: cluster.id, name: cluster.name, resourceGroup: cluster.resourceGroup, subscriptionId });
      const readiness = assessReadiness(cluster, read.status === "read" ? read.data : null);
      verdicts[readiness.verdict] += 1;
      if (readiness.windowsPools.length > 0) {
        windowsNpm += 1;
        expect(readiness.verdict).toBe("blocked");
      }
    }
    expect(verdicts.blocked).toBeGreaterThanOrEqual(1);
    expect(verdicts["needs-work"]).toBeGreaterThanOrEqual(1);
    expect(verdicts.ready).toBeGreaterThanOrEqual(1);
    // Windows node pools cannot move to Cilium: those clusters are still on NPM.
    expect(windowsNpm).toBeGreaterThanOrEqual(1);
  });
});

