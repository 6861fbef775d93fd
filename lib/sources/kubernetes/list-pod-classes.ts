import { CoreV1Api, Observable, type ConfigurationOptions } from "@kubernetes/client-node";
import { PodClassAccumulator, type StoredPodClass } from "@/lib/sources/pod-classes";
import { forEachPage, kubeConfigFor, type KubeApiTarget, type ListKubeObjectsOptions } from "./list-kube-objects";

/** Asks the API server for metadata only: no pod spec (environment, volumes, secrets' names) leaves the cluster. */
export const POD_METADATA_ACCEPT = "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1";

/** Pods that ended (a finished Job's) are no running pod class (docs/design.md §4.5). */
const NOT_ENDED = "status.phase!=Succeeded,status.phase!=Failed";

/**
 * The cluster's pod classes (docs/design.md §4.5): pods listed as `PartialObjectMetadataList`, page
 * by page, each page reduced to distinct (namespace, labels) with counts before the next is read.
 * Only namespace and labels are kept; volatile controller labels are dropped (lib/sources/pod-classes.ts).
 */
export async function listPodClasses(target: KubeApiTarget, options: ListKubeObjectsOptions): Promise<StoredPodClass[]> {
  const core = kubeConfigFor(target).makeApiClient(CoreV1Api);
  const classes = new PodClassAccumulator();
  await forEachPage(
    "pods (metadata)",
    { kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1" },
    options,
    (page, config) => core.listPodForAllNamespaces({ limit: options.pageSize, _continue: page, fieldSelector: NOT_ENDED }, withMetadataAccept(config)),
    (items) => classes.add(items),
  );
  return classes.classes();
}

/** The page request's configuration with the metadata-only Accept header in front of the raw-body capture. */
function withMetadataAccept(config: ConfigurationOptions): ConfigurationOptions {
  return {
    ...config,
    middleware: [
      {
        pre(context) {
          context.setHeaderParam("Accept", POD_METADATA_ACCEPT);
          return new Observable(Promise.resolve(context));
        },
        post(response) {
          return new Observable(Promise.resolve(response));
        },
      },
      ...(config.middleware ?? []),
    ],
  };
}
