import { describe, expect, test } from "vitest";
import type { CostTarget } from "@/lib/costs/cluster-cost";
import { nodeResourceGroupOf } from "@/lib/costs/cluster-cost";
import { readClusterFacts } from "@/lib/posture";
import { listEstate } from "@/lib/sources/source";
import { createDemoEstate } from "./index";
import { demoCostsFromDay } from "./demo-costs";

const END_AT = new Date("2026-03-01T02:00:00.000Z");

async function costsOfDay(estate: ReturnType<typeof createDemoEstate>, dayIndex: number) {
  const run = estate.day(dayIndex);
  const listings = await listEstate(run.source);
  const raws = listings.flatMap((listing) => (listing.ok ? listing.clusters : []));
  const targets = raws.map((raw): CostTarget => {
    const facts = readClusterFacts(raw);
    return { clusterKey: facts.key, id: facts.id, subscriptionId: facts.subscriptionId.toLowerCase(), resourceGroup: facts.resourceGroup, nodeResourceGroup: nodeResourceGroupOf(raw) };
  });
  const reading = await run.source.readCosts!(targets, run.capturedAt);
  return { reading, raws, targets };
}

describe("the demo estate's spend (docs/costs.md)", () => {
  const estate = createDemoEstate({ clusters: 60, days: 60, endAt: END_AT });

  test("yesterday's cost per listed cluster in EUR, from a sixth into the history; one subscription answers 403", async () => {
    expect(demoCostsFromDay(60)).toBe(10);
    const early = await costsOfDay(estate, 5);
    expect(early.reading.costs).toEqual([]);
    expect(early.reading.faults).toEqual([]);

    const { reading, targets } = await costsOfDay(estate, 59);
    expect(reading.fromDay).toBe("2026-02-28");
    expect(reading.costs.every((cost) => cost.day === "2026-02-28" && cost.currency === "EUR" && cost.cost >= 0)).toBe(true);
    const denied = estate.subscriptions[estate.subscriptions.length - 1].id.toLowerCase();
    expect(reading.faults).toEqual([{ target: denied, fault: expect.objectContaining({ cause: "forbidden", message: expect.stringContaining("Microsoft.CostManagement/query/action") }) }]);
    // Every cluster of the other subscriptions has a cost; none of the denied one.
    const withCost = new Set(reading.costs.map((cost) => cost.clusterKey));
    for (const target of targets) expect(withCost.has(target.clusterKey)).toBe(target.subscriptionId !== denied);
  });

  test("believable: production clusters cost more than the others, within a plausible range, and the same day reads the same", async () => {
    const { reading, raws } = await costsOfDay(estate, 59);
    const envOf = new Map(raws.map((raw) => [readClusterFacts(raw).key, readClusterFacts(raw).production]));
    const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / Math.max(1, values.length);
    const prod = mean(reading.costs.filter((cost) => envOf.get(cost.clusterKey)).map((cost) => cost.cost));
    const other = mean(reading.costs.filter((cost) => !envOf.get(cost.clusterKey)).map((cost) => cost.cost));
    expect(prod).toBeGreaterThan(other * 1.5);
    // A mid-size production cluster costs tens to thousands of euros a day, not cents or millions.
    expect(prod).toBeGreaterThan(20);
    expect(prod).toBeLessThan(20_000);
    expect((await costsOfDay(estate, 59)).reading).toEqual(reading);
  });
});
