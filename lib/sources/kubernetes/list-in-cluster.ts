import type { InClusterData } from "@/lib/posture";
import { listKubeObjects, type KubeApiTarget, type ListKubeObjectsOptions } from "./list-kube-objects";
import { listPodClasses } from "./list-pod-classes";
import { listPolicyObjects } from "./list-policy-objects";
import { listServices } from "./list-services";

/**
 * Everything Bulkhead reads from one cluster's API server (docs/collection.md): Namespaces,
 * NetworkPolicies, the Cilium, Calico and admin network policies, pod classes, and Services (type
 * and external traffic policy only, for migration readiness). One failure fails
 * the whole read (the others are stopped at once) so that no half-read cluster is judged.
 */
export async function listInClusterObjects(target: KubeApiTarget, options: ListKubeObjectsOptions): Promise<InClusterData> {
  const controller = new AbortController();
  const stop = () => controller.abort(options.signal.reason);
  if (options.signal.aborted) stop();
  options.signal.addEventListener("abort", stop, { once: true });
  const linked = { ...options, signal: controller.signal };
  const failFast = <T>(promise: Promise<T>): Promise<T> =>
    promise.catch((error: unknown) => {
      controller.abort(error);
      throw error;
    });
  try {
    const [core, custom, pods, services] = await Promise.all([
      failFast(listKubeObjects(target, linked)),
      failFast(listPolicyObjects(target, linked)),
      failFast(listPodClasses(target, linked)),
      failFast(listServices(target, linked)),
    ]);
    return { ...core, ...custom, pods, ...(services ? { services } : {}) };
  } finally {
    options.signal.removeEventListener("abort", stop);
  }
}
