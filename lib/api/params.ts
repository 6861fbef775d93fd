import { z } from "zod";
import type { KpiScope } from "@/lib/kpi/scope";

/** Subscription and owner filters, as every page and route takes them. */
export const scopeParams = z.object({
  subscription: z
    .string()
    .trim()
    .regex(/^[0-9a-fA-F-]{1,64}$/, "must be a subscription id")
    .transform((value) => value.toLowerCase())
    .optional(),
  owner: z.string().trim().min(1).max(256).optional(),
});

export type ScopeParams = z.infer<typeof scopeParams>;

/** Both filters apply together when both are given. */
export function toKpiScope(params: ScopeParams): KpiScope {
  return { subscriptionId: params.subscription, owner: params.owner };
}

export const isoTime = z.iso.datetime({ offset: true }).transform((value) => new Date(value));

export const trendRange = z.enum(["30", "90", "180", "365"]).default("90").transform(Number);
