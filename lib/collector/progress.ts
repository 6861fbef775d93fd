import type { FaultCause } from "@/lib/sources/source";

/** What a run reports while it works; the CLI turns it into a progress bar or log lines. */
export type RunProgressEvent =
  | { type: "listed"; subscriptionsDone: number; subscriptionsTotal: number; clustersTotal: number }
  | { type: "cluster"; clustersDone: number; clustersTotal: number; errors: number }
  | { type: "fault"; scope: RunErrorScope; target: string; cause: FaultCause; message: string }
  | { type: "writing"; clusters: number };

/** `cost`: a subscription whose costs could not be read (docs/costs.md); its clusters' spend is missing, not zero. */
export type RunErrorScope = "run" | "subscription" | "cluster" | "in-cluster" | "file" | "cost";

export interface RunFault {
  scope: RunErrorScope;
  target: string;
  cause: FaultCause;
  message: string;
}
