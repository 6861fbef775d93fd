import { z } from "zod";

// What a source is, as data: every run (in-process or distributed) names its source by one of these,
// and openSource turns it into a PostureSource. A descriptor is stored on a distributed run's row, so
// any worker on any machine opens the same source from it. It never holds a credential: credentials
// come from the environment of the process that opens it.

const inventorySchema = z.enum(["auto", "arm", "resource-graph"]);

/** Azure as the opening process's environment configures it; the endpoint must match that environment's. */
export const azureSourceSchema = z.object({
  kind: z.literal("azure"),
  armEndpoint: z.string(),
  /** The subscriptions given with --subscription; null: every subscription the credential sees. */
  subscriptionIds: z.array(z.string()).nullable(),
  readInCluster: z.boolean(),
  /** Read the clusters' daily costs from Cost Management (docs/costs.md); absent in plans written before it: no. */
  readCosts: z.boolean().optional(),
  kubeTimeoutMs: z.number().int().positive(),
  /** Subscriptions listed and clusters read at once (in-process); absent: one. */
  concurrency: z.number().int().min(1).optional(),
  /**
   * How clusters are listed (`collect --inventory`): "arm", managedClusters.list per subscription
   * (a distributed run: one listing job each); "resource-graph", Resource Graph queries of up to 300
   * subscriptions (a distributed run: one inventory job per batch); "auto", Resource Graph above
   * `resourceGraphThreshold` subscriptions. Absent in plans written before it: "arm".
   */
  inventory: inventorySchema.optional(),
  resourceGraphThreshold: z.number().int().min(0).optional(),
});

/** The files `bulkhead import` reads (docs/design.md §6): DIR/clusters.json and DIR/kube/. */
export const filesSourceSchema = z.object({
  kind: z.literal("files"),
  /** Absolute path of DIR. */
  directory: z.string().min(1),
});

/** The demo estate of one day (deterministic): the same descriptor renders the same clusters everywhere. */
export const demoSourceSchema = z.object({
  kind: z.literal("demo"),
  seed: z.number().int(),
  clusters: z.number().int().min(0),
  days: z.number().int().min(1),
  subscriptions: z.number().int().min(1).optional(),
  owners: z.number().int().min(1).optional(),
  /** ISO time of the estate's last day, which fixes every capture time. */
  endAt: z.iso.datetime(),
  dayIndex: z.number().int().min(0),
  /** Simulated API-server latency per in-cluster read, for tests and benchmarks. */
  latencyMs: z.number().int().min(0).max(60_000).optional(),
  /** As for Azure: "resource-graph" makes a distributed run list subscriptions in batches (the demo lists each). */
  inventory: inventorySchema.optional(),
  resourceGraphThreshold: z.number().int().min(0).optional(),
});

export const sourceDescriptorSchema = z.discriminatedUnion("kind", [azureSourceSchema, filesSourceSchema, demoSourceSchema]);
export type SourceDescriptor = z.infer<typeof sourceDescriptorSchema>;
export type AzureSourceDescriptor = z.infer<typeof azureSourceSchema>;
export type FilesSourceDescriptor = z.infer<typeof filesSourceSchema>;
export type DemoSourceDescriptor = z.infer<typeof demoSourceSchema>;
