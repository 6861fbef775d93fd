import { z } from "zod";
import { VERDICTS } from "@/lib/migration/verdicts";
import { enumParam, pageParam, pageSizeParam } from "./cluster-params";
import { scopeParams } from "./params";

/** `GET /api/migration` and the Migration page: the burn-down's length in days, and the scope. */
export const migrationQuery = scopeParams.extend({
  days: z
    .enum(["90", "180", "365"], { error: "must be 90, 180 or 365 (days)" })
    .default("180")
    .transform((value) => Number(value)),
});

export type MigrationQuery = z.infer<typeof migrationQuery>;

/** The NPM clusters of one readiness verdict, for the page's list and the CSV export. */
export const migrationListParams = migrationQuery.extend({ verdict: enumParam(VERDICTS).optional() });

/** The Migration page: the view's parameters and which page of the cluster list to show. */
export const migrationPageQuery = migrationListParams.extend({ page: pageParam, pageSize: pageSizeParam });
