import { z } from "zod";
import { scopeParams } from "./params";

/** `GET /api/migration` and the Migration page: the burn-down's length in days, and the scope. */
export const migrationQuery = scopeParams.extend({
  days: z
    .enum(["90", "180", "365"], { error: "must be 90, 180 or 365 (days)" })
    .default("180")
    .transform((value) => Number(value)),
});

export type MigrationQuery = z.infer<typeof migrationQuery>;
