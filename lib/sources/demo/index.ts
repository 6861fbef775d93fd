// The demo estate (docs/design.md §2, §6 `bulkhead demo`): a deterministic synthetic organisation and
// its daily history, served through the same PostureSource interface as Azure and files.

import { AppError } from "@/lib/errors";
import { createListedSource, SourceError, type PostureSource } from "@/lib/sources/source";
import type { DemoSourceDescriptor } from "@/lib/sources/source-descriptor";
import type { FixSpeed } from "./catalog";
import { DemoClock } from "./demo-clock";
import { readDemoCosts } from "./demo-costs";
import { DemoDay } from "./demo-source";
import { planEstate } from "./plan-estate";
import type { DemoControlId } from "./plan-types";

export type { DemoInClusterObjects, KubeNamespace, KubeNetworkPolicy } from "./kube-objects";
export type { FixSpeed } from "./catalog";
export type { DemoControlId } from "./plan-types";

export interface DemoOptions {
  /** Clusters listed on the last day. Default 150. */
  clusters?: number;
  /** Number of daily runs. Default 180. */
  days?: number;
  seed?: number;
  /** Default max(8, round(clusters / 20)), at most 50. */
  subscriptions?: number;
  /** Owner teams. Default 12. */
  owners?: number;
  /** Capture time of the last run. Default: the latest 02:00 UTC that is not in the future. */
  endAt?: Date;
}

export interface DemoRun {
  dayIndex: number;
  capturedAt: Date;
  source: PostureSource;
}

export interface DemoWaiver {
  /** ARM id, as the listing prints it. */
  clusterId: string;
  controlId: DemoControlId;
  createdDayIndex: number;
  /** At most 180 days after creation; may lie beyond the last day. */
  expiresDayIndex: number;
  reason: string;
  createdBy: string;
}

export interface DemoEstate {
  options: Required<DemoOptions>;
  runs(): Generator<DemoRun>;
  /** One day (0 ≤ dayIndex < days). */
  day(dayIndex: number): DemoRun;
  waivers: DemoWaiver[];
  subscriptions: { id: string; displayName: string }[];
  owners: string[];
  /** How fast each owner team fixes findings; what the demo's MTTR by owner should reflect. */
  teams: { name: string; fixSpeed: FixSpeed }[];
}

const DEFAULTS = { clusters: 150, days: 180, seed: 42, owners: 12 } as const;
const MAX_SUBSCRIPTIONS_BY_DEFAULT = 50;
const DAY_MS = 86_400_000;

function requireInteger(name: string, value: number, min: number, max: number): number {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new AppError("bad-request", `demo option ${name} must be an integer from ${min} to ${max}; got ${String(value)}`);
  }
  return value;
}

/** The latest 02:00 UTC at or before `nowMs`. */
export function defaultDemoEndAt(nowMs: number = Date.now()): Date {
  const today = Math.floor(nowMs / DAY_MS) * DAY_MS + 2 * 3_600_000;
  return new Date(today <= nowMs ? today : today - DAY_MS);
}

export function resolveDemoOptions(options: DemoOptions = {}): Required<DemoOptions> {
  const clusters = requireInteger("clusters", options.clusters ?? DEFAULTS.clusters, 0, 1_000_000);
  const days = requireInteger("days", options.days ?? DEFAULTS.days, 1, 3_660);
  const seed = requireInteger("seed", options.seed ?? DEFAULTS.seed, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
  const subscriptions = requireInteger(
    "subscriptions",
    options.subscriptions ?? Math.min(MAX_SUBSCRIPTIONS_BY_DEFAULT, Math.max(8, Math.round(clusters / 20))),
    1,
    10_000,
  );
  const owners = requireInteger("owners", options.owners ?? DEFAULTS.owners, 1, 1_000);
  const endAt = options.endAt ?? defaultDemoEndAt();
  if (!(endAt instanceof Date) || Number.isNaN(endAt.getTime())) throw new AppError("bad-request", "demo option endAt must be a valid Date");
  return { clusters, days, seed, subscriptions, owners, endAt: new Date(endAt.getTime()) };
}

export function createDemoEstate(options?: DemoOptions): DemoEstate {
  const resolved = resolveDemoOptions(options);
  const plan = planEstate(resolved);
  const clock = new DemoClock(resolved.endAt.getTime(), resolved.days, resolved.seed);
  const day = (dayIndex: number): DemoRun => {
    const demoDay = new DemoDay(plan, clock, dayIndex);
    const source = createListedSource({
      kind: "demo",
      discover: () => demoDay.subscriptions(),
      listAll: () => demoDay.listAll(),
      readInCluster: (cluster, signal) => demoDay.readInCluster(cluster, signal),
      readCosts: async (clusters) => readDemoCosts(plan, clock, dayIndex, clusters),
    });
    return { dayIndex, capturedAt: new Date(clock.captureMs(dayIndex)), source };
  };
  return {
    options: resolved,
    *runs(): Generator<DemoRun> {
      for (let dayIndex = 0; dayIndex < resolved.days; dayIndex++) yield day(dayIndex);
    },
    day,
    waivers: plan.waivers.map((w) => ({ ...w })),
    subscriptions: plan.subscriptions.map((s) => ({ id: s.id, displayName: s.displayName })),
    owners: plan.teams.map((t) => t.name),
    teams: plan.teams.map((t) => ({ name: t.name, fixSpeed: t.speed })),
  };
}

// A process opens many days of few estates (a worker serves every job of a run, `bulkhead demo`
// every day of one estate): each estate is planned once, not once per day.
const estates = new Map<string, DemoEstate>();
const ESTATES_KEPT = 4;

/** One day of the demo estate that a descriptor names: its source and capture time. */
export function openDemoDay(descriptor: DemoSourceDescriptor): DemoRun {
  const options = {
    seed: descriptor.seed,
    clusters: descriptor.clusters,
    days: descriptor.days,
    subscriptions: descriptor.subscriptions,
    owners: descriptor.owners,
    endAt: new Date(descriptor.endAt),
  };
  const key = JSON.stringify(options);
  let estate = estates.get(key);
  if (!estate) {
    estate = createDemoEstate(options);
    estates.set(key, estate);
    if (estates.size > ESTATES_KEPT) estates.delete(estates.keys().next().value!);
  }
  if (descriptor.dayIndex < estate.options.days) return estate.day(descriptor.dayIndex);
  throw new SourceError({ cause: "not-found", message: `the demo estate has no day ${descriptor.dayIndex} (it has ${estate.options.days})` });
}

/** The descriptor of day `dayIndex` of an estate. */
export function describeDemoDay(estate: Pick<DemoEstate, "options">, dayIndex: number): DemoSourceDescriptor {
  const { seed, clusters, days, subscriptions, owners, endAt } = estate.options;
  return { kind: "demo", seed, clusters, days, subscriptions, owners, endAt: endAt.toISOString(), dayIndex };
}
