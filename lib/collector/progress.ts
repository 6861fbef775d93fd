import type { FaultCause } from "@/lib/sources/source";

/** What a run reports while it works; the CLI turns it into a progress bar or log lines. */
export type RunProgressEvent =
  | { type: "listed"; subscriptionsDone: number; subscriptionsTotal: number; clustersTotal: number }
  | { type: "cluster"; clustersDone: number; clustersTotal: number; errors: number }
  | { type: "fault"; scope: RunErrorScope; target: string; cause: FaultCause; message: string }
  | { type: "writing"; clusters: number };

export type RunErrorScope = "run" | "subscription" | "cluster" | "in-cluster" | "file";

export interface RunFault {
  scope: RunErrorScope;
  target: string;
  cause: FaultCause;
  message: string;
}
