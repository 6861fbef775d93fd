import { CustomObjectsApi } from "@kubernetes/client-node";
import type { InClusterData } from "@/lib/posture";
import { forEachPage, kubeConfigFor, type KubeApiTarget, type ListKubeObjectsOptions } from "./list-kube-objects";

/** Where one policy kind of docs/design.md §4.3 is served, in the order to try. */
interface ServedAt {
  group: string;
  version: string;
}

export interface CustomPolicyKind {
  /** The InClusterData list it fills. */
  field: Exclude<keyof InClusterData, "namespaces" | "policies" | "pods">;
  kind: string;
  plural: string;
  /** Tried in order: the first API that is served is read; none served is an empty list. */
  servedAt: readonly ServedAt[];
}

/**
 * The policy kinds read through the API server's custom resources, besides the built-in
 * NetworkPolicies. Calico is read through its API server (`projectcalico.org/v3`, what Calico
 * documents and `kubectl get networkpolicies.projectcalico.org` shows) when it is installed, else from
 * the CRDs that store the same objects (`crd.projectcalico.org/v1`; AKS's Calico runs without the API
 * server unless it was added): the v3 API first, because where both exist it is the one kept
 * consistent with the tiers and defaults Calico applies (docs/collection.md).
 */
export const CUSTOM_POLICY_KINDS: readonly CustomPolicyKind[] = [
  { field: "ciliumNetworkPolicies", kind: "CiliumNetworkPolicy", plural: "ciliumnetworkpolicies", servedAt: [{ group: "cilium.io", version: "v2" }] },
  { field: "ciliumClusterwideNetworkPolicies", kind: "CiliumClusterwideNetworkPolicy", plural: "ciliumclusterwidenetworkpolicies", servedAt: [{ group: "cilium.io", version: "v2" }] },
  {
    field: "calicoNetworkPolicies",
    kind: "NetworkPolicy",
    plural: "networkpolicies",
    servedAt: [
      { group: "projectcalico.org", version: "v3" },
      { group: "crd.projectcalico.org", version: "v1" },
    ],
  },
  {
    field: "calicoGlobalNetworkPolicies",
    kind: "GlobalNetworkPolicy",
    plural: "globalnetworkpolicies",
    servedAt: [
      { group: "projectcalico.org", version: "v3" },
      { group: "crd.projectcalico.org", version: "v1" },
    ],
  },
  { field: "adminNetworkPolicies", kind: "AdminNetworkPolicy", plural: "adminnetworkpolicies", servedAt: [{ group: "policy.networking.k8s.io", version: "v1alpha1" }] },
  { field: "baselineAdminNetworkPolicies", kind: "BaselineAdminNetworkPolicy", plural: "baselineadminnetworkpolicies", servedAt: [{ group: "policy.networking.k8s.io", version: "v1alpha1" }] },
  { field: "clusterNetworkPolicies", kind: "ClusterNetworkPolicy", plural: "clusternetworkpolicies", servedAt: [{ group: "policy.networking.k8s.io", version: "v1alpha2" }] },
];

/** The API answered 404 on a listing's first page: that resource is not served (its CRD is not installed). */
class NotServedError extends Error {}

function isNotFound(error: unknown): boolean {
  // ApiException of @kubernetes/client-node carries the HTTP status as a numeric `code`.
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === 404;
}

/**
 * Every Cilium, Calico and admin network policy of one cluster, as `kubectl get <kind> -A -o json`
 * lists them, with the paging, abort and fault handling of the NetworkPolicies. A kind whose API is
 * not served is an empty list; any other failure rejects (the whole in-cluster read fails, and the
 * cluster keeps its previous state: docs/design.md §7).
 */
export async function listPolicyObjects(target: KubeApiTarget, options: ListKubeObjectsOptions, kinds: readonly CustomPolicyKind[] = CUSTOM_POLICY_KINDS): Promise<Partial<InClusterData>> {
  const custom = kubeConfigFor(target).makeApiClient(CustomObjectsApi);
  const lists = await Promise.all(kinds.map((kind) => listCustomKind(custom, kind, options)));
  return Object.fromEntries(kinds.map((kind, index) => [kind.field, lists[index]]));
}

async function listCustomKind(custom: CustomObjectsApi, kind: CustomPolicyKind, options: ListKubeObjectsOptions): Promise<unknown[]> {
  for (const { group, version } of kind.servedAt) {
    const items: unknown[] = [];
    try {
      await forEachPage(
        `${kind.plural}.${group}`,
        { kind: kind.kind, apiVersion: `${group}/${version}` },
        options,
        async (page, config) => {
          try {
            return await custom.listClusterCustomObject({ group, version, plural: kind.plural, limit: options.pageSize, _continue: page }, config);
          } catch (error) {
            // Only the first page tells "not installed"; a 404 later is a listing that broke.
            if (page === undefined && isNotFound(error)) throw new NotServedError();
            throw error;
          }
        },
        (page) => items.push(...page),
      );
      return items;
    } catch (error) {
      if (error instanceof NotServedError) continue;
      throw error;
    }
  }
  return [];
}
