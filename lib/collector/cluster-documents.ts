import { createHash } from "node:crypto";
import type { ClusterEvaluation, InClusterData } from "@/lib/posture";

/** A document as it is stored once per distinct content: its JSON text and the sha-256 of that text. */
export interface ContentDocument {
  hash: string;
  json: string;
}

export function contentDocument(body: unknown): ContentDocument {
  const json = JSON.stringify(body);
  return { hash: createHash("sha256").update(json).digest("hex"), json };
}

/** The part of an evaluation kept as evidence (the `evaluations` row); the facts live in the snapshot columns. */
function evaluationEvidence(evaluation: ClusterEvaluation) {
  return {
    controls: evaluation.controls,
    allowAnyRules: evaluation.allowAnyRules,
    namespaces: evaluation.namespaces,
    advisories: evaluation.advisories,
  };
}

/**
 * The content-addressed documents of one judged cluster. Built where the cluster is judged, so a
 * run's write transaction only compares hashes and ships the bodies it has not stored before.
 */
export interface ClusterDocuments {
  cluster: ContentDocument;
  inCluster: ContentDocument | null;
  evaluation: ContentDocument;
}

export function buildClusterDocuments(raw: unknown, inCluster: InClusterData | null, evaluation: ClusterEvaluation): ClusterDocuments {
  return {
    cluster: contentDocument(raw),
    inCluster: inCluster ? contentDocument(inCluster) : null,
    evaluation: contentDocument(evaluationEvidence(evaluation)),
  };
}
