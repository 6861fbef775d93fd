import { z } from "zod";
import { boundedDateTime, boundedDay } from "./bounds";
import type { TrendRange } from "./query-keys";
import { DEFAULT_OVERDUE_OWNER_LIMIT } from "@/lib/findings/get-overdue-by-owner";
import { scopeParams } from "./params";

/** An ISO 8601 date-time with an offset; the message says what to send. */
const isoDateTime = boundedDateTime;

/** A UTC day, YYYY-MM-DD. */
const isoDay = boundedDay.transform((value) => new Date(`${value}T00:00:00Z`));

/** `GET /api/kpis`: the four KPIs at `asOf` (default now), MTTR over (`from`, `asOf`], optionally per group. */
export const kpisQuery = scopeParams
  .extend({
    asOf: isoDateTime.optional(),
    from: isoDateTime.optional(),
    by: z.enum(["all", "subscription", "owner"], { error: "must be all, subscription or owner" }).default("all"),
  })
  .superRefine((query, context) => {
    if (query.from && query.from >= (query.asOf ?? new Date())) {
      context.addIssue({ code: "custom", path: ["from"], message: query.asOf ? "must be before asOf" : "must be before asOf (default: now)" });
    }
  });

/** `GET /api/kpis/trend`: the daily trend of the last `range` days up to `to` (default today, UTC). */
export const trendQuery = scopeParams.extend({
  range: z
    .enum(["30", "90", "180", "365"], { error: "must be 30, 90, 180 or 365 (days)" })
    .default("90")
    .transform((value) => Number(value) as TrendRange),
  by: z.enum(["none", "subscription", "owner"], { error: "must be none, subscription or owner" }).default("none"),
  top: z.coerce
    .number({ error: "must be a whole number from 1 to 12" })
    .int({ error: "must be a whole number from 1 to 12" })
    .min(1, { error: "must be a whole number from 1 to 12" })
    .max(12, { error: "must be a whole number from 1 to 12" })
    .default(6),
  to: isoDay.optional(),
  /** `a,b,c`: the groups (subscription ids or owners) drawn on their own; `all`: every group, none merged. */
  groups: z
    .string()
    .max(4000)
    .transform((text) => (text === "all" ? ("all" as const) : [...new Set(text.split(",").map((item) => item.trim()).filter(Boolean))].slice(0, 50)))
    .optional(),
});

/** `GET /api/findings/overdue-by-owner`: overdue findings per owner at `asOf` (default now), the `limit` most first. */
export const overdueByOwnerQuery = scopeParams.extend({
  asOf: isoDateTime.optional(),
  limit: z.coerce.number().int("must be from 1 to 50").min(1, "must be from 1 to 50").max(50, "must be from 1 to 50").default(DEFAULT_OVERDUE_OWNER_LIMIT),
});

/** `GET /api/overview`: risk, production clusters without an engine, advisories and the last run at `asOf`. */
export const overviewQuery = scopeParams.extend({ asOf: isoDateTime.optional() });

export type KpisQuery = z.infer<typeof kpisQuery>;
export type TrendQuery = z.infer<typeof trendQuery>;
export type OverviewQuery = z.infer<typeof overviewQuery>;
