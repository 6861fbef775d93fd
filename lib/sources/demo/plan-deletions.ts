// Which clusters are deleted during the period, and when.

import { ALWAYS, type ClusterPlan, type PlanOptions } from "./plan-types";
import { Random, STREAM } from "./random";
import { DELETION_WEIGHT, SHORT_LIVED_NEWCOMER } from "./tuning";

/** ~5% of clusters are deleted, mostly old unprotected non-prod ones, plus one short-lived new one. */
export function planDeletions(options: PlanOptions, clusters: ClusterPlan[], count: number): void {
  if (count <= 0) return;
  const periodDays = options.days;
  const random = new Random(options.seed, STREAM.deletions);
  let remaining = count;
  const newcomers = clusters.filter((cluster) => cluster.bornDay >= 1 && cluster.role === "normal" && cluster.bornDay <= periodDays - SHORT_LIVED_NEWCOMER.bornBeforeEnd);
  if (count >= 2 && periodDays >= SHORT_LIVED_NEWCOMER.fromDays && newcomers.length >= 5) {
    const cluster = random.pick(newcomers);
    cluster.deleteDay = cluster.bornDay + random.int(SHORT_LIVED_NEWCOMER.minDays, SHORT_LIVED_NEWCOMER.maxDays);
    remaining--;
  }
  const candidates = clusters.filter((cluster) => cluster.bornDay < 0 && cluster.role === "normal");
  const weights = candidates.map((cluster) => (cluster.engineDay === ALWAYS ? DELETION_WEIGHT.protectedFromStart : DELETION_WEIGHT.otherwise) * (cluster.env === "prod" ? DELETION_WEIGHT.production : DELETION_WEIGHT.nonProduction));
  while (remaining > 0 && candidates.length) {
    let total = 0;
    for (const w of weights) total += w;
    let x = random.next() * total;
    let k = 0;
    while (k < weights.length - 1 && x >= weights[k]) x -= weights[k++];
    candidates[k].deleteDay = random.int(1, periodDays - 1);
    candidates.splice(k, 1);
    weights.splice(k, 1);
    remaining--;
  }
}
