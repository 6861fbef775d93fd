import { z } from "zod";
import type { KpiScope } from "@/lib/kpi/scope";
import { OWNER_MAX_LENGTH, SUBSCRIPTION_ID_PATTERN } from "./scope-values";

/** Subscription and owner filters, as every page and route takes them. */
export const scopeParams = z.object({
  subscription: z
    .string()
    .trim()
    .regex(SUBSCRIPTION_ID_PATTERN, "must be a subscription id")
    .transform((value) => value.toLowerCase())
    .optional(),
  owner: z.string().trim().min(1).max(OWNER_MAX_LENGTH).optional(),
});

export type ScopeParams = z.infer<typeof scopeParams>;

/** Both filters apply together when both are given. */
export function toKpiScope(params: ScopeParams): KpiScope {
  return { subscriptionId: params.subscription, owner: params.owner };
}

export const isoTime = z.iso.datetime({ offset: true }).transform((value) => new Date(value));

export const trendRange = z.enum(["30", "90", "180", "365"]).default("90").transform(Number);
