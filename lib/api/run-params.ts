import { z } from "zod";
import { enumParam, pageParam, pageSizeParam, positiveIntegerText } from "./cluster-params";

export const RUN_STATUSES = ["completed", "failed", "running", "undone", "cancelled"] as const;

/** GET /api/runs: collection history, newest first. */
export const runListQuery = z.object({
  page: pageParam,
  pageSize: pageSizeParam,
  status: enumParam(RUN_STATUSES).optional(),
});

export const runErrorsQuery = z.object({
  id: positiveIntegerText("a run id (a whole number from 1)"),
  page: pageParam,
});
