// How clusters are listed, in a module without the Azure SDKs: the distributed coordinator plans
// its jobs from these without loading them.

/**
 * `arm`: managedClusters.list per subscription; `resource-graph`: Azure Resource Graph, at most
 * MAX_SUBSCRIPTIONS_PER_QUERY subscriptions per query; `auto` uses Resource Graph above a number of subscriptions.
 */
export type InventoryMode = "auto" | "resource-graph" | "arm";

export const DEFAULT_RESOURCE_GRAPH_THRESHOLD = 50;

/** Subscriptions named in one query (kept well under what Resource Graph accepts, so a query stays cheap). */
export const MAX_SUBSCRIPTIONS_PER_QUERY = 300;

/** The inventory a listing of `subscriptions` subscriptions uses: `auto` is Resource Graph above `threshold`. */
export function chooseInventory(mode: InventoryMode, threshold: number, subscriptions: number): Exclude<InventoryMode, "auto"> {
  return mode === "resource-graph" || (mode === "auto" && subscriptions > threshold) ? "resource-graph" : "arm";
}
