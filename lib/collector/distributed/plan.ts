import { z } from "zod";
import type { PostureConfig } from "@/lib/posture";

// What a distributed run stores on its row (collection_runs.distributed_plan) so that every job is
// self-describing: any worker on any machine can do any job from the job's ids and this plan. It
// never holds a credential: workers take those from their own environment.

/** The demo estate of one day (deterministic): the same descriptor renders the same clusters everywhere. */
const demoSourceSchema = z.object({
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
  /** As for Azure: "resource-graph" lists subscriptions in batches, one job per batch (the demo lists each). */
  inventory: z.enum(["auto", "arm", "resource-graph"]).optional(),
  resourceGraphThreshold: z.number().int().min(0).optional(),
});

/** Azure as the worker's environment configures it; the endpoint must match the worker's. */
const azureSourceSchema = z.object({
  kind: z.literal("azure"),
  armEndpoint: z.string(),
  /** The subscriptions given with --subscription; null: every subscription the credential sees. */
  subscriptionIds: z.array(z.string()).nullable(),
  readInCluster: z.boolean(),
  kubeTimeoutMs: z.number().int().positive(),
  /**
   * How clusters are listed (`collect --inventory`): "arm", one listing job per subscription;
   * "resource-graph", one inventory job per batch of up to 300 subscriptions (one paged Resource
   * Graph query each); "auto", Resource Graph above `resourceGraphThreshold` subscriptions.
   * Absent in plans written before it: "arm".
   */
  inventory: z.enum(["auto", "arm", "resource-graph"]).optional(),
  resourceGraphThreshold: z.number().int().min(0).optional(),
});

export const sourceDescriptorSchema = z.discriminatedUnion("kind", [demoSourceSchema, azureSourceSchema]);
export type SourceDescriptor = z.infer<typeof sourceDescriptorSchema>;
export type DemoSourceDescriptor = z.infer<typeof demoSourceSchema>;
export type AzureSourceDescriptor = z.infer<typeof azureSourceSchema>;

const postureConfigSchema = z.object({
  ownerTagKeys: z.array(z.string()),
  envTagKeys: z.array(z.string()),
  prodValues: z.array(z.string()),
  systemNamespaces: z.array(z.string()),
}) satisfies z.ZodType<PostureConfig>;

export const jobSettingsSchema = z.object({
  /** How long one attempt of a listing or in-cluster job may stay active before it is retried elsewhere. */
  expireInSeconds: z.number().int().min(1).max(86_000),
  /** The same for the finalizing job, which writes the whole run. */
  finalizeExpireInSeconds: z.number().int().min(1).max(86_000),
  /** Attempts after the first; a job that exhausts them is recorded as a fault on the run. */
  retryLimit: z.number().int().min(0).max(100),
  retryDelaySeconds: z.number().int().min(0).max(3_600),
});
export type JobSettings = z.infer<typeof jobSettingsSchema>;

export const DEFAULT_JOB_SETTINGS: JobSettings = {
  expireInSeconds: 300,
  finalizeExpireInSeconds: 1_800,
  retryLimit: 2,
  retryDelaySeconds: 5,
};

export const distributedPlanSchema = z.object({
  version: z.literal(1),
  /** Unique to the run (run ids start again at 1 in a reset store); part of every job id. */
  token: z.string().min(1),
  source: sourceDescriptorSchema,
  config: postureConfigSchema,
  jobs: jobSettingsSchema,
});
export type DistributedPlan = z.infer<typeof distributedPlanSchema>;

/** Job payloads: ids only; everything else is in the plan and the staging rows. */
export const jobDataSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("list"), runId: z.number().int(), subscriptionId: z.string() }),
  /** A Resource Graph inventory of a batch of subscriptions (at most 300, one query's worth). */
  z.object({ type: z.literal("inventory"), runId: z.number().int(), subscriptionIds: z.array(z.string()).min(1).max(300) }),
  z.object({ type: z.literal("read"), runId: z.number().int(), clusterKey: z.string() }),
  z.object({ type: z.literal("finalize"), runId: z.number().int() }),
]);
export type JobData = z.infer<typeof jobDataSchema>;
