// A cluster's pod classes on a day (docs/design.md §4.5): each existing namespace's workloads, their
// labels with the release of the day, and their replicas; stored as the Kubernetes source stores them.

import { reducePodClasses, type StoredPodClass } from "@/lib/sources/pod-classes";
import type { ClusterPlan, WorkloadPlan } from "./plan-types";

function releaseOn(workload: WorkloadPlan, day: number): string | null {
  let version: string | null = null;
  for (const release of workload.releases) {
    if (release.fromDay <= day) version = release.version;
    else break;
  }
  return version;
}

export function renderPodClasses(c: ClusterPlan, day: number): StoredPodClass[] {
  const born = new Map(c.namespaces.map((ns) => [ns.name, ns.bornDay]));
  const classes: StoredPodClass[] = [];
  for (const [namespace, workloads] of c.workloads) {
    if ((born.get(namespace) ?? c.bornDay) > day) continue;
    for (const workload of workloads) {
      const version = workload.versionLabel ? releaseOn(workload, day) : null;
      const labels = version && workload.versionLabel ? { ...workload.labels, [workload.versionLabel]: version } : workload.labels;
      classes.push({ metadata: { namespace, labels }, count: workload.replicas });
    }
  }
  return reducePodClasses(classes);
}
