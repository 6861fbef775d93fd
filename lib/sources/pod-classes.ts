// Pods reduced to pod classes before anything is stored (docs/design.md §4.5): one item per distinct
// (namespace, labels), with the number of pods it stands for. Nothing else of a pod is kept: no spec,
// no status, no annotations, no name. Shared by every source that reads pods (the Kubernetes API,
// `import`'s pods.json, the demo estate), so the same pods make the same stored document.

import { asRecord } from "@/lib/posture/untrusted-json";

/**
 * Labels that controllers stamp on each pod or each rollout. Kept, they would make every rollout a
 * new class (pod-template-hash, controller-revision-hash, pod-template-generation), every StatefulSet
 * replica a class of its own (pod-name, pod-index) and every CronJob run another (job-name,
 * controller-uid): the store would grow by the day and the classes say nothing about reachability. A
 * policy that selects one of them (rare: `statefulset.kubernetes.io/pod-name: kafka-0`) is then
 * judged as if it selected no known pod — it earns no default-deny credit for that pod's class.
 */
export const VOLATILE_POD_LABELS: readonly string[] = [
  "pod-template-hash",
  "controller-revision-hash",
  "pod-template-generation",
  "statefulset.kubernetes.io/pod-name",
  "apps.kubernetes.io/pod-index",
  "controller-uid",
  "batch.kubernetes.io/controller-uid",
  "job-name",
  "batch.kubernetes.io/job-name",
  "batch.kubernetes.io/job-completion-index",
];

const VOLATILE = new Set(VOLATILE_POD_LABELS);

/** Phases of pods that no longer run: a finished Job's pods are no class (only `kubectl` output carries a phase). */
const ENDED_PHASES = new Set(["Succeeded", "Failed"]);

/** One stored pod class, in the shape the evaluator reads from InClusterData.pods. */
export interface StoredPodClass {
  metadata: { namespace: string; labels: Record<string, string> };
  count: number;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A pod's namespace and stable labels (sorted by key); null for an item that is not a pod of a namespace or no longer runs. */
function readPod(item: unknown): { namespace: string; labels: Record<string, string> } | null {
  const record = asRecord(item);
  const metadata = asRecord(record?.metadata);
  if (!record || !metadata) return null;
  const namespace = metadata.namespace;
  if (typeof namespace !== "string" || namespace === "") return null;
  const phase = asRecord(record.status)?.phase;
  if (typeof phase === "string" && ENDED_PHASES.has(phase)) return null;
  const labels: Record<string, string> = {};
  const raw = asRecord(metadata.labels);
  if (raw) {
    for (const key of Object.keys(raw).sort(compareText)) {
      const value = raw[key];
      if (VOLATILE.has(key) || typeof value !== "string") continue;
      labels[key] = value;
    }
  }
  return { namespace, labels };
}

/**
 * Pods (PartialObjectMetadata, or full Pods as `kubectl get pods -A -o json` prints them) reduced to
 * classes, sorted by namespace and labels so that the same pods always make the same document.
 * Items that already are classes (`count`) are merged with their counts.
 */
export function reducePodClasses(pods: Iterable<unknown>): StoredPodClass[] {
  const byKey = new Map<string, StoredPodClass>();
  for (const item of pods) {
    const pod = readPod(item);
    if (!pod) continue;
    const given = asRecord(item)?.count;
    const count = typeof given === "number" && Number.isInteger(given) && given >= 0 ? given : 1;
    const key = `${pod.namespace}\u0000${JSON.stringify(pod.labels)}`;
    const existing = byKey.get(key);
    if (existing) existing.count += count;
    else byKey.set(key, { metadata: pod, count });
  }
  return [...byKey.entries()].sort(([a], [b]) => compareText(a, b)).map(([, value]) => value);
}

/** Collects pod classes page by page, so a cluster's pods are never all in memory at once. */
export class PodClassAccumulator {
  private readonly byKey = new Map<string, StoredPodClass>();

  add(items: Iterable<unknown>): void {
    for (const podClass of reducePodClasses(items)) {
      const key = `${podClass.metadata.namespace}\u0000${JSON.stringify(podClass.metadata.labels)}`;
      const existing = this.byKey.get(key);
      if (existing) existing.count += podClass.count;
      else this.byKey.set(key, podClass);
    }
  }

  classes(): StoredPodClass[] {
    return reducePodClasses(this.byKey.values());
  }
}
