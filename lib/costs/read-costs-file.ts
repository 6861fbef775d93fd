import { z } from "zod";
import { AppError } from "@/lib/errors";
import { JsonFileError, readJsonFile } from "@/lib/sources/read-json-file";
import { ISO_CURRENCY, type ClusterCost } from "./cluster-cost";

const AKS_ID = /^\/subscriptions\/[^/]+\/resourcegroups\/[^/]+\/providers\/microsoft\.containerservice\/managedclusters\/[^/]+$/i;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
/** A day's cost of one cluster beyond this is a typo, not a bill. */
const MAX_DAILY_COST = 1e12;

const costRow = z.object({
  clusterId: z.string().regex(AKS_ID, "must be the cluster's ARM id (/subscriptions/…/resourceGroups/…/providers/Microsoft.ContainerService/managedClusters/…)"),
  date: z
    .string()
    .regex(DAY, "must be a UTC day, YYYY-MM-DD")
    .refine((day) => !Number.isNaN(Date.parse(`${day}T00:00:00Z`)) && new Date(`${day}T00:00:00Z`).toISOString().startsWith(day), "is not a calendar day"),
  cost: z.number().finite().min(-MAX_DAILY_COST).max(MAX_DAILY_COST),
  currency: z.string().regex(ISO_CURRENCY, "must be an ISO 4217 code in capitals, such as EUR or USD"),
});

/**
 * `DIR/costs.json` of `bulkhead import` (docs/costs.md): a list of `{clusterId, date, cost, currency}`,
 * one per cluster and UTC day. Optional: no file, no costs. Read whole before anything is written; any
 * bad row is bad input (exit 2) naming the row and the field, and so is a cluster and day given twice.
 */
export async function readCostsFile(file: string): Promise<ClusterCost[] | undefined> {
  let value: unknown;
  try {
    value = await readJsonFile(file);
  } catch (error) {
    if (error instanceof JsonFileError && error.kind === "missing") return undefined;
    if (error instanceof JsonFileError) throw new AppError("bad-input-file", error.message, { file });
    throw error;
  }
  return parseCosts(value, file);
}

export function parseCosts(value: unknown, file: string): ClusterCost[] {
  const bad = (where: string, reason: string) => new AppError("bad-input-file", `${file}${where}: ${reason}`, { file });
  if (!Array.isArray(value)) throw bad("", "expected a list of {clusterId, date, cost, currency} (docs/costs.md)");
  const seen = new Map<string, number>();
  return value.map((item, index): ClusterCost => {
    const parsed = costRow.safeParse(item);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue.path.length > 0 ? `.${issue.path.join(".")}` : "";
      throw bad(`[${index}]${field}`, issue.path.length > 0 ? issue.message : "expected an object {clusterId, date, cost, currency}");
    }
    const clusterKey = parsed.data.clusterId.toLowerCase();
    const id = `${clusterKey} ${parsed.data.date}`;
    const earlier = seen.get(id);
    if (earlier !== undefined) throw bad(`[${index}]`, `repeats the cluster and day of item ${earlier}: give each cluster one cost per day`);
    seen.set(id, index);
    return { clusterKey, day: parsed.data.date, cost: parsed.data.cost, currency: parsed.data.currency };
  });
}
