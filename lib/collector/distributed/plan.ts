import { z } from "zod";
import type { PostureConfig } from "@/lib/posture";
import { azureSourceSchema, demoSourceSchema } from "@/lib/sources/source-descriptor";

// What a distributed run stores on its row (collection_runs.distributed_plan) so that every job is
// self-describing: any worker on any machine can do any job from the job's ids and this plan. It
// never holds a credential: workers take those from their own environment.

/** The sources a distributed run can spread over workers: every worker opens the same source from it. */
export const distributedSourceSchema = z.discriminatedUnion("kind", [demoSourceSchema, azureSourceSchema]);
export type DistributedSourceDescriptor = z.infer<typeof distributedSourceSchema>;

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
  source: distributedSourceSchema,
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
