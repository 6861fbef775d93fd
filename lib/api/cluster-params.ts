import { z } from "zod";
import {
  ADVISORY_FILTERS,
  CLUSTER_SORT_KEYS,
  DEFAULT_PAGE_SIZE,
  DELETED_FILTERS,
  ENGINE_FILTERS,
  FAILING_FILTERS,
  PAGE_SIZES,
  POLICY_KIND_FILTERS,
} from "@/lib/clusters/list-options";
import { MAX_PAGE } from "./bounds";
import { scopeParams } from "./params";

const listOf = (values: readonly (string | number)[]) => values.map((value) => `"${value}"`).join(", ");

/** A whole number from 1, as URL text; `what` completes "must be …". */
export const positiveIntegerText = (what = "a whole number from 1") =>
  z
    .string()
    .trim()
    .regex(/^[0-9]{1,15}$/, `must be ${what}`)
    .transform(Number)
    .refine((value) => value >= 1, `must be ${what}`);

export const pageParam = positiveIntegerText(`a page number from 1 to ${MAX_PAGE}`)
  .refine((value) => value <= MAX_PAGE, `must be a page number from 1 to ${MAX_PAGE}`)
  .default(1);

export const pageSizeParam = z
  .string()
  .trim()
  .refine((value) => (PAGE_SIZES as readonly number[]).includes(Number(value)), `must be one of ${listOf(PAGE_SIZES)}`)
  .transform(Number)
  .default(DEFAULT_PAGE_SIZE);

/** A closed set of values; the message lists them. */
export const enumParam = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: `must be one of ${listOf(values)}` });

/** GET /api/clusters: search, filters, sort and paging of the clusters table. */
export const clusterListQuery = scopeParams.extend({
  q: z.string().trim().max(200, "must be at most 200 characters").optional(),
  sort: enumParam(CLUSTER_SORT_KEYS).optional(),
  dir: enumParam(["asc", "desc"]).optional(),
  page: pageParam,
  pageSize: pageSizeParam,
  engine: enumParam(ENGINE_FILTERS).optional(),
  kind: enumParam(POLICY_KIND_FILTERS).optional(),
  failing: enumParam(FAILING_FILTERS).optional(),
  production: enumParam(["true", "false"])
    .transform((value) => value === "true")
    .optional(),
  deleted: enumParam(DELETED_FILTERS).default("exclude"),
  advisory: enumParam(ADVISORY_FILTERS).optional(),
});

export type ClusterListQuery = z.infer<typeof clusterListQuery>;

/** A cluster id in a path: clusters.id, a positive integer. */
export const clusterIdParam = z.object({ id: positiveIntegerText("a cluster id (a whole number from 1)") });

export const TIMELINE_RANGES = [30, 90, 180, 365] as const;

export const clusterTimelineQuery = clusterIdParam.extend({
  days: z
    .string()
    .trim()
    .refine((value) => (TIMELINE_RANGES as readonly number[]).includes(Number(value)), `must be one of ${listOf(TIMELINE_RANGES)}`)
    .transform(Number)
    .default(180),
});

/** A Kubernetes namespace name (an RFC 1123 label): what a reachability matrix cell names. */
const namespaceName = z
  .string()
  .trim()
  .regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, "must be a namespace name (lower-case letters, digits and '-', at most 63)");

/** GET /api/clusters/:id/reachability: one cell of the namespace matrix. */
export const clusterReachabilityQuery = clusterIdParam.extend({ from: namespaceName, to: namespaceName });
