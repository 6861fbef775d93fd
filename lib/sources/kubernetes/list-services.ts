import { CoreV1Api } from "@kubernetes/client-node";
import { reduceServices } from "@/lib/sources/service-summary";
import { forEachPage, kubeConfigFor, type KubeApiTarget, type ListKubeObjectsOptions } from "./list-kube-objects";

/**
 * Every Service of the cluster, page by page, each reduced as it arrives to namespace, name, type and
 * external traffic policy (docs/migration.md): nothing else of a Service is kept. A 403 (the
 * collector's role predates Services) leaves them unread, not the whole cluster: readiness then says
 * it could not check them.
 */
export async function listServices(target: KubeApiTarget, options: ListKubeObjectsOptions): Promise<unknown[] | undefined> {
  const core = kubeConfigFor(target).makeApiClient(CoreV1Api);
  const services: unknown[] = [];
  try {
    await forEachPage(
      "services",
      { kind: "Service", apiVersion: "v1" },
      options,
      (page, config) => core.listServiceForAllNamespaces({ limit: options.pageSize, _continue: page }, config),
      (items) => services.push(...reduceServices(items)),
    );
  } catch (error) {
    if (typeof error === "object" && error !== null && (error as { code?: unknown }).code === 403) return undefined;
    throw error;
  }
  return services;
}
