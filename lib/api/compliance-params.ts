import { z } from "zod";
import { EVIDENCE_LISTS, VIEW_CLUSTER_LIMIT } from "@/lib/compliance/view-limits";
import { boundedDay } from "./bounds";
import { scopeParams } from "./params";

// The Compliance page's parameters, as its URL, its API routes and its loader read them.

export const COMPLIANCE_TREND_DAYS = ["30", "90", "180", "365"] as const;

/** `GET /api/compliance`: one framework's requirements for a scope, as of the end of a UTC day (default today, now). */
export const complianceQuery = scopeParams.extend({
  framework: z.string({ error: "must be a framework id" }).trim().min(1, "must be a framework id").max(64, "must be a framework id"),
  asOf: boundedDay.optional(),
  production: z.enum(["true", "false"], { error: "must be true or false" }).optional(),
});

/** `GET /api/compliance/trend`: each requirement's daily pass rate over the `days` before the as-of day. */
export const complianceTrendQuery = complianceQuery.extend({
  days: z.enum(COMPLIANCE_TREND_DAYS, { error: "must be 30, 90, 180 or 365 (days)" }).default("90").transform(Number),
});

/** `GET /api/compliance/evidence`: the first `limit` clusters of one requirement with one outcome, with their evidence. */
export const requirementEvidenceQuery = complianceQuery.extend({
  requirement: z.string({ error: "must be a requirement id" }).trim().min(1, "must be a requirement id").max(64, "must be a requirement id"),
  list: z.enum(EVIDENCE_LISTS, { error: `must be ${EVIDENCE_LISTS.join(", ")}` }),
  limit: z.coerce
    .number({ error: `must be a whole number from 1 to ${VIEW_CLUSTER_LIMIT}` })
    .int(`must be a whole number from 1 to ${VIEW_CLUSTER_LIMIT}`)
    .min(1, `must be a whole number from 1 to ${VIEW_CLUSTER_LIMIT}`)
    .max(VIEW_CLUSTER_LIMIT, `must be a whole number from 1 to ${VIEW_CLUSTER_LIMIT}`)
    .default(VIEW_CLUSTER_LIMIT),
});

/** `GET /api/compliance/evidence-pack`: the ZIP for auditors, optionally broken down by owner or subscription. */
export const evidencePackQuery = complianceQuery.extend({
  by: z.enum(["all", "owner", "subscription"], { error: "must be all, owner or subscription" }).default("all"),
});

export type ComplianceQueryParams = z.infer<typeof complianceQuery>;

/** The compliance scope of parsed parameters. */
export function toComplianceScope(query: ComplianceQueryParams) {
  return { subscriptionId: query.subscription, owner: query.owner, productionOnly: query.production === "true" };
}
