import { beforeAll, describe, expect, test } from "vitest";
import { createDemoEstate, type DemoEstate } from "./index";
import { carryForward, collectDemoHistory, hasEngineInRawJson, type ClusterDay, type DaySummary, type RawCluster } from "@/testing/demo-test-history";
import { listEstate } from "@/lib/sources/source";

const END_AT = new Date("2026-03-01T02:00:00.000Z");
const DAYS = 180;

let estate: DemoEstate;
let days: DaySummary[];
let counted: Map<string, ClusterDay>[];

beforeAll(async () => {
  estate = createDemoEstate({ endAt: END_AT });
  days = await collectDemoHistory(estate);
  counted = carryForward(days);
});

function share(clusters: Iterable<ClusterDay>, pick: (c: ClusterDay) => boolean): number {
  let n = 0;
  let yes = 0;
  for (const c of clusters) {
    n++;
    if (pick(c)) yes++;
  }
  return yes / n;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

describe("estate size and churn", () => {
  test("grows ~30% to exactly the requested size", () => {
    expect(days).toHaveLength(DAYS);
    expect(days[0].clusters.size).toBe(115);
    expect(days[DAYS - 1].failedSubscriptions).toEqual([]);
    expect(days[DAYS - 1].clusters.size).toBe(150);
    expect(new Set(days.flatMap((d) => [...d.clusters.keys()])).size).toBe(158);
    // Growth is spread over the period, not dumped at the end.
    expect(counted[60].size).toBeGreaterThan(116);
    expect(counted[120].size).toBeGreaterThan(counted[60].size + 8);
  });

  test("a few listing failures: one subscription on 3-4 days, never the first or last day", () => {
    const failing = days.map((d, i) => [i, d] as const).filter(([, d]) => d.failedSubscriptions.length > 0);
    expect(failing.length).toBeGreaterThanOrEqual(3);
    expect(failing.length).toBeLessThanOrEqual(4);
    for (const [i, day] of failing) {
      expect(i).toBeGreaterThan(0);
      expect(i).toBeLessThan(DAYS - 1);
      expect(day.failedSubscriptions).toHaveLength(1);
      const faults = day.listings.flatMap((l) => (l.ok ? [] : [l.fault]));
      expect(faults).toHaveLength(1);
      expect(["forbidden", "server-error", "throttled", "timeout"]).toContain(faults[0].cause);
      expect(faults[0].message.length).toBeGreaterThan(40);
      // Its clusters are missing that day only: they are back the next day (not deleted).
      const sub = day.failedSubscriptions[0];
      const before = [...days[i - 1].clusters.values()].filter((c) => c.subscriptionId === sub).map((c) => c.key);
      expect(before.length).toBeGreaterThan(0);
      expect([...day.clusters.values()].some((c) => c.subscriptionId === sub)).toBe(false);
      const after = new Set(days[i + 1].clusters.keys());
      expect(before.filter((k) => !after.has(k)).length).toBeLessThanOrEqual(1);
    }
    const causes = failing.flatMap(([, d]) => d.listings.flatMap((l) => (l.ok ? [] : [l.fault.cause])));
    expect(new Set(causes).size).toBeGreaterThan(1);
  });

  test("~5% of clusters are deleted (gone while their subscription listed fine) and never come back", () => {
    const deleted = new Map<string, number>();
    for (let d = 1; d < DAYS; d++) {
      const ok = new Set(days[d].listings.filter((l) => l.ok).map((l) => l.subscriptionId));
      for (const [key, c] of counted[d - 1]) {
        if (!days[d].clusters.has(key) && ok.has(c.subscriptionId) && !deleted.has(key)) deleted.set(key, d);
      }
    }
    expect(deleted.size).toBe(8);
    for (const [key, d] of deleted) {
      for (let later = d; later < DAYS; later++) expect(days[later].clusters.has(key)).toBe(false);
    }
    const deletionDays = [...deleted.values()];
    expect(Math.max(...deletionDays) - Math.min(...deletionDays)).toBeGreaterThan(60);
  });
});

describe("policy-engine adoption", () => {
  test("rises from ~55% to ~85% of the carried-forward estate, judged from the raw JSON", () => {
    const start = share(counted[0].values(), (c) => c.engineEnabled);
    const end = share(counted[DAYS - 1].values(), (c) => c.engineEnabled);
    expect(start).toBeGreaterThan(0.5);
    expect(start).toBeLessThan(0.6);
    expect(end).toBeGreaterThan(0.8);
    expect(end).toBeLessThan(0.9);
    // The evaluator agrees with the raw-JSON judgement on every cluster-day.
    for (const day of days) for (const c of day.clusters.values()) expect(c.controls["NP-01"]).toBe(c.engineEnabled ? "pass" : "fail");
  });

  test("is not monotonic: setbacks, including one week that loses several points", () => {
    const series = counted.map((m) => share(m.values(), (c) => c.engineEnabled) * 100);
    let decreases = 0;
    for (let d = 1; d < DAYS; d++) if (series[d] < series[d - 1] - 1e-9) decreases++;
    expect(decreases).toBeGreaterThanOrEqual(10);
    let worstWeek = 0;
    for (let d = 7; d < DAYS; d++) worstWeek = Math.max(worstWeek, series[d - 7] - series[d]);
    expect(worstWeek).toBeGreaterThan(2.5);
    // ...yet the trend holds: each quarter of the period ends above the previous one's start.
    for (let q = 1; q < 4; q++) expect(series[Math.floor((q * DAYS) / 4)]).toBeGreaterThan(series[0]);
  });

  test("new clusters often start without an engine; how fast they are fixed depends on the team", async () => {
    // A bigger estate, listings only, so that every speed class has enough fixes to compare.
    const big = createDemoEstate({ clusters: 1000, endAt: END_AT });
    const speed = new Map(big.teams.map((t) => [t.name, t.fixSpeed]));
    const seen = new Map<string, { first: number; firstEnabled: number | null; team: string; enabledAtFirst: boolean }>();
    for (const run of big.runs()) {
      for (const listing of await listEstate(run.source)) {
        if (!listing.ok) continue;
        for (const raw of listing.clusters as RawCluster[]) {
          const key = raw.id.toLowerCase();
          let s = seen.get(key);
          // The team is in the cluster name, whatever the tags say.
          const team = [...speed.keys()].find((t) => raw.name.startsWith(`aks-${t}-`))!;
          if (!s) seen.set(key, (s = { first: run.dayIndex, firstEnabled: null, team, enabledAtFirst: hasEngineInRawJson(raw) }));
          if (hasEngineInRawJson(raw) && s.firstEnabled === null) s.firstEnabled = run.dayIndex;
        }
      }
    }
    const delays: Record<string, number[]> = { fast: [], medium: [], slow: [] };
    let newClusters = 0;
    let newUnprotected = 0;
    for (const s of seen.values()) {
      if (s.first === 0) continue;
      newClusters++;
      if (s.enabledAtFirst) continue;
      newUnprotected++;
      if (s.firstEnabled !== null) delays[speed.get(s.team)!].push(s.firstEnabled - s.first);
    }
    expect(newClusters).toBe(284);
    expect(newUnprotected / newClusters).toBeGreaterThan(0.4);
    expect(newUnprotected / newClusters).toBeLessThan(0.75);
    expect(delays.fast.length).toBeGreaterThanOrEqual(8);
    expect(delays.medium.length).toBeGreaterThanOrEqual(5);
    expect(delays.slow.length).toBeGreaterThanOrEqual(8);
    // Planned: fast 2-5 days, medium 7-21, slow 30-90; a listing failure can shift either sighting by a day.
    const outside = (values: number[], lo: number, hi: number) => values.filter((d) => d < lo - 1 || d > hi + 1);
    expect(outside(delays.fast, 2, 5)).toEqual([]);
    expect(outside(delays.medium, 7, 21)).toEqual([]);
    expect(outside(delays.slow, 30, 90)).toEqual([]);
    expect(median(delays.slow)).toBeGreaterThan(6 * median(delays.fast));
  });
});

test("the adoption story holds for other seeds too (listings only)", async () => {
  for (const seed of [1, 2, 3, 4, 5]) {
    const bySubscription = new Map<string, RawCluster[]>();
    const series: number[] = [];
    for (const run of createDemoEstate({ seed, endAt: END_AT }).runs()) {
      for (const l of await listEstate(run.source)) if (l.ok) bySubscription.set(l.subscriptionId, l.clusters as RawCluster[]);
      const all = [...bySubscription.values()].flat();
      series.push((100 * all.filter(hasEngineInRawJson).length) / all.length);
    }
    let worstWeek = 0;
    for (let d = 7; d < DAYS; d++) worstWeek = Math.max(worstWeek, series[d - 7] - series[d]);
    expect([seed, series[0] > 50 && series[0] < 60, series[DAYS - 1] > 80 && series[DAYS - 1] < 90, worstWeek > 2.5]).toEqual([seed, true, true, true]);
  }
});

describe("in-cluster history", () => {
  test("allow-any rules in production come and go, and fall over the period", () => {
    const prodAllowAny = (d: number) => [...days[d].clusters.values()].filter((c) => c.production).reduce((n, c) => n + c.allowAnyRules, 0);
    const firstWeek = [0, 1, 2, 3, 4, 5, 6].map(prodAllowAny);
    const lastWeek = [173, 174, 175, 176, 177, 178, 179].map(prodAllowAny);
    expect(median(firstWeek)).toBeGreaterThan(1.3 * median(lastWeek));
    expect(median(lastWeek)).toBeGreaterThan(0);
    // Policies with allow-any names that appear after day 0 and are gone again before the end.
    const sloppy = /^(allow-all|allow-internet-egress|allow-egress-internet$|allow-from-anywhere|allow-from-all-namespaces|allow-egress-all-namespaces|temp-debug-allow-all)/;
    const life = new Map<string, { first: number; last: number }>();
    days.forEach((day, d) => {
      for (const c of day.clusters.values()) {
        for (const p of c.policyNames) {
          if (!sloppy.test(p.split("/")[1])) continue;
          const key = `${c.key}|${p}`;
          const l = life.get(key);
          if (l) l.last = d;
          else life.set(key, { first: d, last: d });
        }
      }
    });
    const cameAndWent = [...life.values()].filter((l) => l.first > 0 && l.last < DAYS - 5);
    expect(cameAndWent.length).toBeGreaterThanOrEqual(5);
    expect([...life.values()].filter((l) => l.first === 0 && l.last < DAYS - 5).length).toBeGreaterThanOrEqual(5);
  });

  test("namespaces added later start without a default deny and get one later", () => {
    const firstSeen = new Map<string, number>();
    const clusterFirst = new Map<string, number>();
    const fixedLater = new Set<string>();
    const addedBare = new Set<string>();
    days.forEach((day, d) => {
      for (const c of day.clusters.values()) {
        if (!clusterFirst.has(c.key)) clusterFirst.set(c.key, d);
        if (c.read !== "read") continue;
        for (const ns of c.namespaces) {
          const key = `${c.key}|${ns.name}`;
          if (!firstSeen.has(key)) {
            firstSeen.set(key, d);
            if (d > clusterFirst.get(c.key)! + 1 && !ns.denyIngress) addedBare.add(key);
          } else if (addedBare.has(key) && ns.denyIngress) fixedLater.add(key);
        }
      }
    });
    expect(addedBare.size).toBeGreaterThanOrEqual(20);
    expect(fixedLater.size).toBeGreaterThanOrEqual(8);
    expect(fixedLater.size).toBeLessThan(addedBare.size);
  });

  test("audit pass rate over NP-01..07 rises, and every control both passes and fails somewhere", () => {
    const passRate = (m: Map<string, ClusterDay>) => {
      let pass = 0;
      let fail = 0;
      for (const c of m.values()) {
        for (const s of Object.values(c.controls)) {
          if (s === "pass") pass++;
          else if (s === "fail") fail++;
        }
      }
      return pass / (pass + fail);
    };
    expect(passRate(counted[DAYS - 1]) - passRate(counted[0])).toBeGreaterThan(0.1);
    for (const id of ["NP-01", "NP-02", "NP-03", "NP-04", "NP-05", "NP-06", "NP-07"]) {
      const statuses = new Set<string>();
      for (const c of counted[DAYS - 1].values()) statuses.add(c.controls[id]);
      for (const c of counted[0].values()) statuses.add(c.controls[id]);
      expect([id, statuses.has("pass"), statuses.has("fail")]).toEqual([id, true, true]);
    }
  });

  test("reads: a small share never offered, a few API servers unreachable on some days", () => {
    let total = 0;
    let absent = 0;
    let failed = 0;
    const absentByCluster = new Map<string, Set<boolean>>();
    const failingClusters = new Set<string>();
    for (const day of days) {
      for (const c of day.clusters.values()) {
        total++;
        if (c.read === "absent") absent++;
        if (c.read === "failed") {
          failed++;
          failingClusters.add(c.key);
          expect(["unreachable", "timeout"]).toContain(c.failureCause);
        }
        const seen = absentByCluster.get(c.key) ?? new Set<boolean>();
        seen.add(c.read === "absent");
        absentByCluster.set(c.key, seen);
      }
    }
    expect(absent / total).toBeGreaterThan(0.02);
    expect(absent / total).toBeLessThan(0.08);
    expect(failed / total).toBeGreaterThan(0.003);
    expect(failed / total).toBeLessThan(0.03);
    expect(failingClusters.size).toBeGreaterThanOrEqual(5);
    for (const seen of absentByCluster.values()) expect(seen.size).toBe(1);
  });
});

describe("waivers", () => {
  test("~10-15 waivers on findings that fail when they are created, expiring within 180 days", () => {
    const waivers = estate.waivers;
    expect(waivers.length).toBe(12);
    const controls = new Set(waivers.map((w) => w.controlId));
    expect(controls.has("NP-01")).toBe(true);
    expect(controls.size).toBeGreaterThanOrEqual(3);
    for (const w of waivers) {
      const c = days[w.createdDayIndex].clusters.get(w.clusterId.toLowerCase());
      expect(c, `${w.clusterId} listed on day ${w.createdDayIndex}`).toBeDefined();
      expect(c!.raw.id).toBe(w.clusterId);
      expect(c!.controls[w.controlId] === "fail" || (c!.read !== "read" && c!.controls[w.controlId] === "n/a")).toBe(true);
      expect(w.expiresDayIndex - w.createdDayIndex).toBeGreaterThan(0);
      expect(w.expiresDayIndex - w.createdDayIndex).toBeLessThanOrEqual(180);
      expect(w.reason.length).toBeGreaterThan(20);
      expect(w.createdBy).toMatch(/^[a-z.-]+@contoso\.com$/);
    }
    expect(waivers.filter((w) => w.expiresDayIndex <= DAYS - 1).length).toBeGreaterThanOrEqual(2);
    expect(waivers.filter((w) => w.expiresDayIndex > DAYS - 1).length).toBeGreaterThanOrEqual(2);
    expect(new Set(waivers.map((w) => `${w.clusterId}|${w.controlId}`)).size).toBe(waivers.length);
  });
});

describe("cluster mix", () => {
  test("tags, environments, owners", () => {
    const end = [...days[DAYS - 1].clusters.values()];
    const prod = share(end, (c) => c.production);
    expect(prod).toBeGreaterThan(0.38);
    expect(prod).toBeLessThan(0.52);
    const owners = new Set(end.map((c) => c.owner));
    owners.delete("(untagged)");
    expect([...owners].sort()).toEqual([...estate.owners].sort());
    const keys = new Set<string>();
    let untagged = 0;
    for (const day of days) {
      for (const c of day.clusters.values()) {
        if (c.raw.tags === null) untagged++;
        for (const k of Object.keys(c.raw.tags ?? {})) keys.add(k);
      }
    }
    for (const k of ["owner", "team", "Owner", "environment", "env", "Environment"]) expect(keys).toContain(k);
    expect(untagged).toBeGreaterThan(0);
    const valuesOfEnv = new Set(end.flatMap((c) => Object.entries(c.raw.tags ?? {}).filter(([k]) => /^env(ironment)?$/i.test(k)).map(([, v]) => v)));
    for (const v of ["prod", "production", "staging", "dev"]) expect(valuesOfEnv).toContain(v);
  });

  test("network profiles: plugins, engines, dataplanes and the odd ones", () => {
    const all: ClusterDay[] = [];
    for (const day of days) for (const c of day.clusters.values()) all.push(c);
    const end = [...days[DAYS - 1].clusters.values()];
    const np = (c: ClusterDay) => c.raw.networkProfile;
    const policies = new Set(all.map((c) => ("networkPolicy" in np(c) ? String(np(c).networkPolicy) : "(absent)")));
    for (const p of ["azure", "calico", "cilium", "none", "null", "(absent)", "antrea"]) expect(policies).toContain(p);
    expect(end.filter((c) => np(c).networkPlugin === "kubenet").length).toBeGreaterThanOrEqual(5);
    expect(share(end, (c) => np(c).networkPluginMode === "overlay")).toBeGreaterThan(0.3);
    expect(share(end, (c) => np(c).networkPlugin === "azure")).toBeGreaterThan(0.7);
    expect(end.some((c) => np(c).networkDataplane === "cilium" && !("networkPolicy" in np(c)))).toBe(true);
    expect(end.filter((c) => np(c).podLinkLocalAccess === "None").length).toBeGreaterThanOrEqual(2);
    const windows = share(end, (c) => c.raw.agentPoolProfiles.some((p) => p.osType === "Windows"));
    expect(windows).toBeGreaterThan(0.02);
    expect(windows).toBeLessThan(0.09);
    const large = end.filter((c) => np(c).networkPolicy === "azure" && c.raw.agentPoolProfiles.reduce((n, p) => n + p.count, 0) > 250);
    expect(large.length).toBe(2);
    expect(new Set(end.map((c) => c.raw.location)).size).toBeGreaterThanOrEqual(5);
    // Clusters get upgraded during the period.
    const upgraded = [...counted[DAYS - 1].keys()].filter((k) => days[0].clusters.get(k) && days[0].clusters.get(k)!.raw.kubernetesVersion !== days[DAYS - 1].clusters.get(k)?.raw.kubernetesVersion);
    expect(upgraded.length).toBeGreaterThan(30);
  });
});
