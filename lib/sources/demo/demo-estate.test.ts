import { describe, expect, test } from "vitest";
import { AppError } from "@/lib/errors";
import { listEstate, type InClusterRead, type SubscriptionListing } from "@/lib/sources/source";
import { createDemoEstate, defaultDemoEndAt, resolveDemoOptions, type DemoEstate } from "./index";

const END_AT = new Date("2026-03-01T02:00:00.000Z");
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const ARM_ID = /^\/subscriptions\/([0-9a-f-]{36})\/resourcegroups\/([^/]+)\/providers\/Microsoft\.ContainerService\/managedClusters\/([^/]+)$/;

interface Listed {
  id: string;
  name: string;
  resourceGroup: string;
}

/** Every listing and every read of every run, as one JSON string. */
async function dumpEstate(estate: DemoEstate): Promise<string> {
  const out: unknown[] = [estate.subscriptions, estate.owners, estate.waivers];
  for (const run of estate.runs()) {
    const listings = await listEstate(run.source);
    out.push(run.dayIndex, run.capturedAt.toISOString(), listings);
    for (const l of listings) {
      if (!l.ok) continue;
      for (const c of l.clusters as Listed[]) {
        out.push(await run.source.readInCluster({ id: c.id, name: c.name, resourceGroup: c.resourceGroup, subscriptionId: l.subscriptionId }));
      }
    }
  }
  return JSON.stringify(out);
}

function listedClusters(listings: SubscriptionListing[]): (Listed & { subscriptionId: string })[] {
  return listings.flatMap((l) => (l.ok ? (l.clusters as Listed[]).map((c) => ({ ...c, subscriptionId: l.subscriptionId })) : []));
}

describe("options", () => {
  test("defaults: 150 clusters, 180 days, seed 42, 8 subscriptions, the 12 owner teams", () => {
    const estate = createDemoEstate({ endAt: END_AT });
    expect(estate.options).toEqual({ clusters: 150, days: 180, seed: 42, subscriptions: 8, owners: 12, endAt: END_AT });
    expect(estate.owners).toEqual([
      "payments", "identity", "search", "analytics", "platform", "checkout",
      "data-science", "mobile-api", "risk", "marketing-web", "logistics", "ml-serving",
    ]);
    expect(estate.subscriptions).toHaveLength(8);
    expect(new Set(estate.subscriptions.map((s) => s.id)).size).toBe(8);
    for (const s of estate.subscriptions) {
      expect(s.id).toMatch(GUID);
      expect(s.displayName).toMatch(/^contoso-[a-z]+-(prod|nonprod)$/);
    }
    expect(estate.subscriptions.map((s) => s.displayName)).toContain("contoso-payments-prod");
    expect(estate.teams.find((t) => t.name === "platform")?.fixSpeed).toBe("fast");
    expect(estate.teams.find((t) => t.name === "data-science")?.fixSpeed).toBe("slow");
  });

  test("subscriptions scale with clusters and are capped; explicit values win", () => {
    expect(resolveDemoOptions({ clusters: 40, endAt: END_AT }).subscriptions).toBe(8);
    expect(resolveDemoOptions({ clusters: 400, endAt: END_AT }).subscriptions).toBe(20);
    expect(resolveDemoOptions({ clusters: 10_000, endAt: END_AT }).subscriptions).toBe(50);
    expect(resolveDemoOptions({ clusters: 10_000, subscriptions: 3, endAt: END_AT }).subscriptions).toBe(3);
    const big = createDemoEstate({ clusters: 400, days: 2, owners: 20, endAt: END_AT });
    expect(big.subscriptions.map((s) => s.displayName)).toContain("contoso-payments-prod-02");
    expect(new Set(big.owners).size).toBe(20);
    expect(big.owners.slice(12, 14)).toEqual(["billing", "notifications"]);
  });

  test("endAt defaults to the latest 02:00 UTC that is not in the future", () => {
    expect(defaultDemoEndAt(Date.parse("2026-03-01T05:00:00Z")).toISOString()).toBe("2026-03-01T02:00:00.000Z");
    expect(defaultDemoEndAt(Date.parse("2026-03-01T02:00:00Z")).toISOString()).toBe("2026-03-01T02:00:00.000Z");
    expect(defaultDemoEndAt(Date.parse("2026-03-01T01:59:59Z")).toISOString()).toBe("2026-02-28T02:00:00.000Z");
    const before = defaultDemoEndAt().getTime();
    const endAt = createDemoEstate({ clusters: 1, days: 1 }).options.endAt.getTime();
    expect([before, before + 86_400_000]).toContain(endAt);
  });

  test("bad options are rejected with a bad-request AppError", () => {
    for (const bad of [{ clusters: -1 }, { days: 0 }, { seed: 1.5 }, { owners: 0 }, { subscriptions: 0 }, { clusters: Number.NaN }, { endAt: new Date("nope") }]) {
      let caught: unknown;
      try {
        createDemoEstate(bad);
      } catch (error) {
        caught = error;
      }
      expect(caught, JSON.stringify(bad)).toBeInstanceOf(AppError);
      expect((caught as AppError).code).toBe("bad-request");
    }
  });
});

describe("runs", () => {
  test("one run a day on consecutive UTC days at 02:00 plus a few minutes, the last exactly at endAt", () => {
    const runs = [...createDemoEstate({ clusters: 5, endAt: END_AT }).runs()];
    expect(runs.map((r) => r.dayIndex)).toEqual(Array.from({ length: 180 }, (_, i) => i));
    expect(runs[179].capturedAt.toISOString()).toBe(END_AT.toISOString());
    expect(runs[0].capturedAt.toISOString().slice(0, 10)).toBe("2025-09-03");
    const jitters = new Set<number>();
    runs.forEach((run, i) => {
      const t = run.capturedAt;
      const dayStart = Date.UTC(t.getUTCFullYear(), t.getUTCMonth(), t.getUTCDate());
      expect(dayStart).toBe(Date.UTC(2025, 8, 3) + i * 86_400_000);
      const offset = t.getTime() - dayStart - 2 * 3_600_000;
      expect(offset).toBeGreaterThanOrEqual(0);
      expect(offset).toBeLessThan(7 * 60_000);
      jitters.add(offset);
    });
    expect(jitters.size).toBeGreaterThan(100);
  });

  test("same options give byte-identical history; another seed gives another one", async () => {
    const options = { clusters: 40, days: 40, seed: 7, endAt: END_AT };
    const a = await dumpEstate(createDemoEstate(options));
    const b = await dumpEstate(createDemoEstate(options));
    expect(a).toBe(b);
    const other = createDemoEstate({ ...options, seed: 8 });
    expect(await dumpEstate(other)).not.toBe(a);
    expect(other.subscriptions[0].id).not.toBe(createDemoEstate(options).subscriptions[0].id);
    // runs() can be replayed on the same estate.
    const estate = createDemoEstate(options);
    expect(await dumpEstate(estate)).toBe(await dumpEstate(estate));
  });

  test("sources are pure per call and return fresh objects", async () => {
    const runs = [...createDemoEstate({ clusters: 30, days: 20, endAt: END_AT }).runs()];
    const source = runs[10].source;
    const first = await listEstate(source);
    const second = await listEstate(source);
    expect(second).toEqual(first);
    expect(second[0]).not.toBe(first[0]);
    const cluster = listedClusters(first)[0];
    const ref = { ...cluster };
    const readA = (await source.readInCluster(ref)) as Extract<InClusterRead, { status: "read" }>;
    expect(readA.status).toBe("read");
    (readA.data.policies as unknown[]).length = 0;
    (readA.data.namespaces[0] as { metadata: { name: string } }).metadata.name = "mutated";
    const readB = await source.readInCluster(ref);
    expect(readB).toEqual(await source.readInCluster(ref));
    expect(JSON.stringify(readB)).not.toContain("mutated");
    // A source still answers for its own day after later days were produced.
    expect(await listEstate(runs[10].source)).toEqual(first);
    expect(runs[10].source.kind).toBe("demo");
  });

  test("unknown clusters are not found; an aborted read rejects", async () => {
    const [run] = createDemoEstate({ clusters: 10, days: 1, endAt: END_AT }).runs();
    const ref = { id: "/subscriptions/00000000-0000-4000-8000-000000000000/resourcegroups/rg-x/providers/Microsoft.ContainerService/managedClusters/aks-x", name: "aks-x", resourceGroup: "rg-x", subscriptionId: "00000000-0000-4000-8000-000000000000" };
    const read = await run.source.readInCluster(ref);
    expect(read).toMatchObject({ status: "failed", fault: { cause: "not-found" } });
    const controller = new AbortController();
    controller.abort(new Error("stop"));
    await expect(run.source.readInCluster(ref, controller.signal)).rejects.toThrow("stop");
  });

  test("ids parse, match their listing, and keep their exact spelling across days", async () => {
    const estate = createDemoEstate({ endAt: END_AT });
    const spelling = new Map<string, string>();
    const problems: string[] = [];
    let upperCaseGroups = 0;
    for (const run of estate.runs()) {
      for (const c of listedClusters(await listEstate(run.source))) {
        const m = ARM_ID.exec(c.id);
        if (!m || m[1] !== c.subscriptionId || m[2] !== c.resourceGroup || m[3] !== c.name) problems.push(`day ${run.dayIndex}: ${c.id} does not match its listing`);
        if (!/^aks-[a-z-]+-(prod|staging|dev)-[a-z0-9]+-\d{2}$/.test(c.name)) problems.push(`bad name ${c.name}`);
        if (!/^rg-[a-z-]+-(prod|staging|dev)$/.test(c.resourceGroup.toLowerCase())) problems.push(`bad resource group ${c.resourceGroup}`);
        const key = c.id.toLowerCase();
        const earlier = spelling.get(key);
        if (earlier === undefined && c.resourceGroup !== c.resourceGroup.toLowerCase()) upperCaseGroups++;
        if (earlier !== undefined && earlier !== c.id) problems.push(`day ${run.dayIndex}: ${c.id} was spelled ${earlier}`);
        spelling.set(key, c.id);
      }
    }
    expect(problems.slice(0, 5)).toEqual([]);
    expect(spelling.size).toBe(158);
    expect(upperCaseGroups).toBeGreaterThan(0);
  });

  test("short periods still carry waivers, each on a cluster listed the day it is created", async () => {
    const estate = createDemoEstate({ clusters: 200, days: 3, endAt: END_AT });
    expect(estate.waivers).toHaveLength(16);
    const runs = [...estate.runs()];
    for (const w of estate.waivers) {
      expect(w.createdDayIndex).toBeLessThan(2);
      const listed = listedClusters(await listEstate(runs[w.createdDayIndex].source)).map((c) => c.id);
      expect(listed).toContain(w.clusterId);
    }
  });

  test("tiny and empty estates work", async () => {
    const empty = createDemoEstate({ clusters: 0, days: 3, endAt: END_AT });
    for (const run of empty.runs()) {
      const listings = await listEstate(run.source);
      expect(listings).toHaveLength(8);
      expect(listedClusters(listings)).toHaveLength(0);
    }
    expect(empty.waivers).toEqual([]);
    const [only] = createDemoEstate({ clusters: 3, days: 1, endAt: END_AT }).runs();
    expect(listedClusters(await listEstate(only.source))).toHaveLength(3);
    expect(only.capturedAt.toISOString()).toBe(END_AT.toISOString());
  });
});
