import { readdir, realpath } from "node:fs/promises";
import path from "node:path";
import { AppError } from "@/lib/errors";
import { ClusterInputError, readClusterFacts } from "@/lib/posture/cluster-facts";
import { flattenKubeObjects } from "@/lib/posture/kube-objects";
import { JsonFileError, readJsonFile } from "./read-json-file";
import { readCostsFile } from "@/lib/costs/read-costs-file";
import type { InClusterData } from "@/lib/posture";
import { reducePodClasses } from "./pod-classes";
import { reduceServices } from "./service-summary";
import { createListedSource, type ClusterRef, type InClusterRead, type PostureSource, type SubscriptionListing } from "./source";

/** One file of DIR/kube/<resourceGroup>/<cluster>/: what it fills, the command that writes it, and what its items may be. */
interface KubeFile {
  name: string;
  field: keyof InClusterData;
  command: string;
  kinds: readonly string[];
  /** API groups of its items ("" is the core API). */
  groups: readonly string[];
}

const CALICO_GROUPS = ["projectcalico.org", "crd.projectcalico.org"];
const ADMIN_GROUP = ["policy.networking.k8s.io"];

/** Every file `import` reads for a cluster (docs/rules-v2.md lists the kubectl commands); each one is optional. */
export const KUBE_FILES: readonly KubeFile[] = [
  { name: "namespaces.json", field: "namespaces", command: "kubectl get namespaces -o json", kinds: ["Namespace"], groups: [""] },
  { name: "networkpolicies.json", field: "policies", command: "kubectl get networkpolicies -A -o json", kinds: ["NetworkPolicy"], groups: ["networking.k8s.io", "extensions"] },
  { name: "ciliumnetworkpolicies.json", field: "ciliumNetworkPolicies", command: "kubectl get ciliumnetworkpolicies.cilium.io -A -o json", kinds: ["CiliumNetworkPolicy"], groups: ["cilium.io"] },
  { name: "ciliumclusterwidenetworkpolicies.json", field: "ciliumClusterwideNetworkPolicies", command: "kubectl get ciliumclusterwidenetworkpolicies.cilium.io -o json", kinds: ["CiliumClusterwideNetworkPolicy"], groups: ["cilium.io"] },
  { name: "calico-networkpolicies.json", field: "calicoNetworkPolicies", command: "kubectl get networkpolicies.projectcalico.org -A -o json", kinds: ["NetworkPolicy"], groups: CALICO_GROUPS },
  { name: "calico-globalnetworkpolicies.json", field: "calicoGlobalNetworkPolicies", command: "kubectl get globalnetworkpolicies.projectcalico.org -o json", kinds: ["GlobalNetworkPolicy"], groups: CALICO_GROUPS },
  { name: "adminnetworkpolicies.json", field: "adminNetworkPolicies", command: "kubectl get adminnetworkpolicies.policy.networking.k8s.io -o json", kinds: ["AdminNetworkPolicy"], groups: ADMIN_GROUP },
  { name: "baselineadminnetworkpolicies.json", field: "baselineAdminNetworkPolicies", command: "kubectl get baselineadminnetworkpolicies.policy.networking.k8s.io -o json", kinds: ["BaselineAdminNetworkPolicy"], groups: ADMIN_GROUP },
  { name: "clusternetworkpolicies.json", field: "clusterNetworkPolicies", command: "kubectl get clusternetworkpolicies.policy.networking.k8s.io -o json", kinds: ["ClusterNetworkPolicy"], groups: ADMIN_GROUP },
  { name: "pods.json", field: "pods", command: "kubectl get pods -A -o json", kinds: ["Pod", "PartialObjectMetadata"], groups: ["", "meta.k8s.io"] },
  { name: "services.json", field: "services", command: "kubectl get services -A -o json", kinds: ["Service"], groups: [""] },
];

/** Azure's naming rules: they also keep every kube/<group>/<cluster> path inside the import directory. */
const AKS_CLUSTER_NAME = /^[a-zA-Z0-9](?:[a-zA-Z0-9_-]{0,61}[a-zA-Z0-9])?$/;
const RESOURCE_GROUP_NAME = /^[-\w.()\p{L}\p{N}]{0,89}[-\w()\p{L}\p{N}]$/u;

/**
 * The files source (docs/design.md §6 `import`): DIR/clusters.json is `az aks list -o json`, a complete
 * listing of every subscription it names; DIR/costs.json, when present, the clusters' daily costs
 * (docs/costs.md); DIR/kube/<resourceGroup>/<cluster>/ holds what
 * `kubectl get … -o json` printed for each object kind (KUBE_FILES), pods reduced to pod classes
 * before anything is kept. A missing kube folder, or one without any of the files, is no data, not an error.
 * clusters.json is checked whole before anything is written: not a list of cluster objects with
 * AKS resource ids and valid names is bad input (exit 2), naming the item and the field.
 */
export async function createFilesSource(directory: string): Promise<PostureSource> {
  const clustersFile = path.join(directory, "clusters.json");
  let clusters: unknown;
  try {
    clusters = await readJsonFile(clustersFile);
  } catch (error) {
    if (error instanceof JsonFileError) throw new AppError("bad-input-file", error.message, { file: clustersFile });
    throw error;
  }
  const bySubscription = groupClusters(clusters, clustersFile);
  const kubeRoot = path.join(directory, "kube");
  const resourceGroupDirs = await listDirectories(kubeRoot);
  // Optional, and checked whole before anything is written like clusters.json (docs/costs.md).
  const costs = await readCostsFile(path.join(directory, "costs.json"));

  return createListedSource({
    kind: "files",
    ...(costs
      ? {
          async readCosts() {
            const days = costs.map((cost) => cost.day).sort();
            return { costs, faults: [], fromDay: days[0] ?? "", toDay: days[days.length - 1] ?? "" };
          },
        }
      : {}),
    async listAll(): Promise<SubscriptionListing[]> {
      return [...bySubscription.entries()].map(([subscriptionId, items]) => ({ subscriptionId, ok: true as const, clusters: items }));
    },
    async readInCluster(cluster: ClusterRef): Promise<InClusterRead> {
      const group = resourceGroupDirs.find((name) => name === cluster.resourceGroup) ?? resourceGroupDirs.find((name) => name.toLowerCase() === cluster.resourceGroup.toLowerCase());
      if (!group) return { status: "absent" };
      const clusterDir = path.join(kubeRoot, group, cluster.name);
      try {
        await assertInside(directory, clusterDir);
        const lists = await Promise.all(KUBE_FILES.map((file) => readOptionalList(path.join(clusterDir, file.name), file)));
        if (lists.every((list) => list === undefined)) return { status: "absent" };
        const data: InClusterData = { namespaces: [], policies: [] };
        KUBE_FILES.forEach((file, index) => {
          const items = flattenKubeObjects(lists[index] === undefined ? [] : [lists[index]]);
          if (file.field === "pods") data.pods = reducePodClasses(items);
          // Services are kept only when the file is there: absent means "not read", not "none".
          else if (file.field === "services") {
            if (lists[index] !== undefined) data.services = reduceServices(items);
          } else data[file.field] = items;
        });
        return { status: "read", data };
      } catch (error) {
        if (error instanceof JsonFileError) return { status: "failed", fault: { cause: "malformed", message: error.message } };
        throw error;
      }
    },
  });
}

/** The clusters of `az aks list -o json` by subscription; anything else is a bad-input-file error naming item and field. */
function groupClusters(clusters: unknown, file: string): Map<string, unknown[]> {
  const bad = (where: string, reason: string) => new AppError("bad-input-file", `${file}${where}: ${reason}`, { file });
  if (!Array.isArray(clusters)) throw bad("", `expected the JSON array that \`az aks list -o json\` prints, found ${describe(clusters)}`);
  const bySubscription = new Map<string, unknown[]>();
  clusters.forEach((cluster, index) => {
    if (cluster === null || typeof cluster !== "object" || Array.isArray(cluster)) throw bad(`[${index}]`, `expected a cluster object, found ${describe(cluster)}`);
    let facts;
    try {
      facts = readClusterFacts(cluster);
    } catch (error) {
      if (error instanceof ClusterInputError) throw bad(`[${index}].id`, error.message.replace(/^cluster field `id` /, ""));
      throw error;
    }
    const name = (cluster as { name?: unknown }).name;
    if (name !== undefined && name !== null && typeof name !== "string") throw bad(`[${index}].name`, `expected a string, found ${describe(name)}`);
    if (!AKS_CLUSTER_NAME.test(facts.name)) {
      throw bad(`[${index}].name`, `${JSON.stringify(facts.name.slice(0, 100))} is not an AKS cluster name (1 to 63 letters, digits, hyphens and underscores, starting and ending with a letter or digit)`);
    }
    if (!RESOURCE_GROUP_NAME.test(facts.resourceGroup)) {
      throw bad(`[${index}].id`, `resource group ${JSON.stringify(facts.resourceGroup.slice(0, 100))} is not an Azure resource group name (1 to 90 letters, digits, periods, hyphens, underscores and parentheses, not ending in a period)`);
    }
    const subscriptionId = facts.subscriptionId.toLowerCase();
    bySubscription.set(subscriptionId, [...(bySubscription.get(subscriptionId) ?? []), cluster]);
  });
  return bySubscription;
}

/** Symbolic links inside kube/ may not lead out of the import directory either. */
async function assertInside(directory: string, target: string): Promise<void> {
  const root = await realpath(directory);
  let resolved: string;
  try {
    resolved = await realpath(target);
  } catch {
    return; // Not there: nothing will be read from it.
  }
  const relative = path.relative(root, resolved);
  if (relative.startsWith("..") || path.isAbsolute(relative)) {
    throw new JsonFileError(target, "leads outside the import directory; it is not read", "unreadable");
  }
}

/**
 * A kube file as `kubectl get … -o json` prints it: an object whose `items` is a list of objects of
 * the file's kind. Anything else (a string, `items` not a list, NetworkPolicies of the wrong API group
 * in a Calico file) is malformed, recorded on the run for that cluster, which keeps its previous
 * in-cluster state.
 */
async function readOptionalList(file: string, expected: KubeFile): Promise<unknown | undefined> {
  let value: unknown;
  try {
    value = await readJsonFile(file);
  } catch (error) {
    if (error instanceof JsonFileError && error.kind === "missing") return undefined;
    throw error;
  }
  const prints = `expected the list that \`${expected.command}\` prints (an object with an "items" list)`;
  if (value === null || typeof value !== "object" || Array.isArray(value)) throw new JsonFileError(file, `${prints}, found ${describe(value)}`, "malformed");
  const items = (value as { items?: unknown }).items;
  if (!Array.isArray(items)) throw new JsonFileError(file, `${prints}, but "items" is ${describe(items)}`, "malformed");
  const wrong = items.findIndex((item) => item === null || typeof item !== "object" || Array.isArray(item));
  if (wrong >= 0) throw new JsonFileError(file, `items[${wrong}] is ${describe(items[wrong])}, not a Kubernetes object`, "malformed");
  items.forEach((item, index) => {
    const { kind, apiVersion } = item as { kind?: unknown; apiVersion?: unknown };
    const group = typeof apiVersion === "string" && apiVersion.includes("/") ? apiVersion.slice(0, apiVersion.indexOf("/")) : apiVersion === undefined ? undefined : "";
    const kindOk = kind === undefined || (typeof kind === "string" && expected.kinds.includes(kind));
    const groupOk = group === undefined || expected.groups.includes(group);
    if (!kindOk || !groupOk) {
      throw new JsonFileError(
        file,
        `items[${index}] is ${typeof kind === "string" ? `a ${kind}` : "an object"}${typeof apiVersion === "string" ? ` of ${apiVersion}` : ""}, not what \`${expected.command}\` prints (${expected.kinds.join(" or ")} of ${expected.groups.map((g) => g || "the core API").join(" or ")})`,
        "malformed",
      );
    }
  });
  return value;
}

function describe(value: unknown): string {
  if (value === undefined) return "missing";
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

async function listDirectories(directory: string): Promise<string[]> {
  try {
    return (await readdir(directory, { withFileTypes: true })).filter((entry) => entry.isDirectory()).map((entry) => entry.name);
  } catch {
    return [];
  }
}
