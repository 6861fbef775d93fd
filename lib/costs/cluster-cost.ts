import type { SourceFault } from "@/lib/sources/source-fault";

/** What one cluster cost on one UTC day (docs/costs.md): the cluster resource and its node resource group together. */
export interface ClusterCost {
  /** The cluster key: ARM id, lower-cased. */
  clusterKey: string;
  /** UTC day, YYYY-MM-DD. */
  day: string;
  /** Actual cost in `currency`; credits and refunds may make a day negative. */
  cost: number;
  /** ISO 4217 code of the billing currency. */
  currency: string;
}

/** A cluster whose cost a source is asked for: its identity and where its nodes' resources live. */
export interface CostTarget {
  clusterKey: string;
  /** ARM id as listed. */
  id: string;
  subscriptionId: string;
  resourceGroup: string;
  /** `nodeResourceGroup` of the listing (MC_…); unknown when the listing lacks it. */
  nodeResourceGroup?: string;
}

/** The costs a source read for a run; a subscription it could not read is a fault, not an error. */
export interface CostReading {
  costs: ClusterCost[];
  faults: { target: string; fault: SourceFault }[];
  /** The UTC days asked for, inclusive. */
  fromDay: string;
  toDay: string;
}

/** How many days back a run asks for: Cost Management restates the last few days as usage is rated. */
export const COST_LOOKBACK_DAYS = 3;

export const ISO_CURRENCY = /^[A-Z]{3}$/;

/** The days a run at `capturedAt` asks costs for: the COST_LOOKBACK_DAYS complete UTC days before it. */
export function costWindowFor(capturedAt: Date, lookbackDays: number = COST_LOOKBACK_DAYS): { fromDay: string; toDay: string } {
  const today = Date.UTC(capturedAt.getUTCFullYear(), capturedAt.getUTCMonth(), capturedAt.getUTCDate());
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  return { fromDay: day(today - lookbackDays * 86_400_000), toDay: day(today - 86_400_000) };
}

/** The node resource group of a listed cluster document (`nodeResourceGroup`, flattened or under `properties`). */
export function nodeResourceGroupOf(raw: unknown): string | undefined {
  if (!raw || typeof raw !== "object") return undefined;
  const record = raw as { nodeResourceGroup?: unknown; properties?: { nodeResourceGroup?: unknown } };
  const value = record.nodeResourceGroup ?? record.properties?.nodeResourceGroup;
  return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
}
