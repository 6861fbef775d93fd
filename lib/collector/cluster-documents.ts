import type { ClusterEvaluation, InClusterData } from "@/lib/posture";
import { contentDocument, type ContentDocument } from "./content-document";
import { deriveDocuments, type DerivedDocuments } from "./derived-documents";

export { contentDocument, type ContentDocument } from "./content-document";

/**
 * The content-addressed documents of one judged cluster: its source documents and what the rules
 * derived from them. Built where the cluster is judged, so a run's write transaction only compares
 * hashes and ships the bodies it has not stored before.
 */
export interface ClusterDocuments {
  cluster: ContentDocument;
  inCluster: ContentDocument | null;
  derived: DerivedDocuments;
}

export function buildClusterDocuments(raw: unknown, inCluster: InClusterData | null, evaluation: ClusterEvaluation): ClusterDocuments {
  return {
    cluster: contentDocument(raw),
    inCluster: inCluster ? contentDocument(inCluster) : null,
    derived: deriveDocuments(evaluation),
  };
}
