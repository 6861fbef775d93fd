import type { ReachabilityDocument } from "@/lib/posture";

// The cluster page's reachability (docs/design.md §4.5): the namespace matrix and the classes that
// matter first, from the stored document. Pure: no I/O.

/** The classes reachable from outside and those reaching IMDS are listed up to this many each. */
export const RISKY_CLASSES_SHOWN = 50;

export interface ReachabilityClassView {
  namespace: string;
  /** Null: the namespace's stranger pod (a new deployment, whose labels no selector matches). */
  labels: Record<string, string> | null;
  pods: number;
  /** Pods it reaches, its own other pods included. */
  reachablePods: number;
  namespacesReached: number;
}

export interface ReachabilityView {
  /**
   * "stored": what the snapshot recorded (what the lateral exposure KPI counts); "judged": computed
   * now from the snapshot's stored documents, because it was recorded before reachability was stored.
   */
  source: "stored" | "judged";
  exposure: number | null;
  /** Workload pods (N of §4.5). */
  pods: number;
  /** False when pods were not read: each namespace then counts as one pod, its stranger pod. */
  hasPodData: boolean;
  /** The protocols and ports examined (`TCP/*` is any port no rule names). */
  ports: string[];
  classCount: number;
  /** Workload namespaces, sorted by name: their pods and pod classes (running ones; the stranger pod left out). */
  namespaces: { name: string; pods: number; classes: number }[];
  /**
   * [from, to, pods]: positions in `namespaces`; `pods` of `to` that some other pod of `from` (running,
   * or a new one) reaches. A pair with 0 pods reaches only `to`'s new pods; a pair absent reaches nothing.
   */
  pairs: [number, number, number][];
  internetExposed: { total: number; pods: number; classes: ReachabilityClassView[] };
  reachesImds: { total: number; pods: number; classes: ReachabilityClassView[] };
}

/** Without pod data every class is a namespace's stranger pod counting one pod; with it, stranger pods count none. */
function hasPodData(document: ReachabilityDocument): boolean {
  return document.classes.some((cls) => cls.labels !== null || cls.count === 0);
}

function riskyClasses(document: ReachabilityDocument, positions: number[]): ReachabilityView["internetExposed"] {
  const views = positions.map((position): ReachabilityClassView => {
    const cls = document.classes[position];
    return {
      namespace: document.namespaces[cls.namespace] ?? "",
      labels: cls.labels,
      pods: cls.count,
      reachablePods: cls.reachablePods,
      namespacesReached: cls.namespacesReached,
    };
  });
  // The most pods first: a stranger pod (no pods yet where pods were read) last.
  views.sort((a, b) => b.pods - a.pods || b.reachablePods - a.reachablePods || (a.namespace < b.namespace ? -1 : a.namespace > b.namespace ? 1 : 0));
  return { total: views.length, pods: views.reduce((sum, view) => sum + view.pods, 0), classes: views.slice(0, RISKY_CLASSES_SHOWN) };
}

export function toReachabilityView(document: ReachabilityDocument, source: ReachabilityView["source"]): ReachabilityView {
  const classesPer = document.namespaces.map(() => 0);
  for (const cls of document.classes) if (cls.labels !== null) classesPer[cls.namespace] += 1;
  return {
    source,
    exposure: document.exposure,
    pods: document.pods,
    hasPodData: hasPodData(document),
    ports: document.ports,
    classCount: document.classes.length,
    namespaces: document.namespaces.map((name, index) => ({ name, pods: document.namespacePods[index] ?? 0, classes: classesPer[index] ?? 0 })),
    pairs: document.namespacePairs,
    internetExposed: riskyClasses(document, document.internetExposed),
    reachesImds: riskyClasses(document, document.reachesImds),
  };
}
