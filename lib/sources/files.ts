import { readdir, realpath } from "node:fs/promises";
import path from "node:path";
import { AppError } from "@/lib/errors";
import { ClusterInputError, readClusterFacts } from "@/lib/posture/cluster-facts";
import { flattenKubeObjects } from "@/lib/posture/kube-objects";
import { JsonFileError, readJsonFile } from "./read-json-file";
import { createListedSource, type ClusterRef, type InClusterRead, type PostureSource, type SubscriptionListing } from "./source";

/** Azure's naming rules: they also keep every kube/<group>/<cluster> path inside the import directory. */
const AKS_CLUSTER_NAME = /^[a-zA-Z0-9](?:[a-zA-Z0-9_-]{0,61}[a-zA-Z0-9])?$/;
const RESOURCE_GROUP_NAME = /^[-\w.()\p{L}\p{N}]{0,89}[-\w()\p{L}\p{N}]$/u;

/**
 * The files source (docs/design.md §6 `import`): DIR/clusters.json is `az aks list -o json`, a complete
 * listing of every subscription it names; DIR/kube/<resourceGroup>/<cluster>/ holds what
 * `kubectl get namespaces|networkpolicies -A -o json` printed. A missing kube folder is no data, not an error.
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

  return createListedSource({
    kind: "files",
    async listAll(): Promise<SubscriptionListing[]> {
      return [...bySubscription.entries()].map(([subscriptionId, items]) => ({ subscriptionId, ok: true as const, clusters: items }));
    },
    async readInCluster(cluster: ClusterRef): Promise<InClusterRead> {
      const group = resourceGroupDirs.find((name) => name === cluster.resourceGroup) ?? resourceGroupDirs.find((name) => name.toLowerCase() === cluster.resourceGroup.toLowerCase());
      if (!group) return { status: "absent" };
      const clusterDir = path.join(kubeRoot, group, cluster.name);
      const files = { namespaces: path.join(clusterDir, "namespaces.json"), policies: path.join(clusterDir, "networkpolicies.json") };
      try {
        await assertInside(directory, clusterDir);
        const [namespaces, policies] = await Promise.all([readOptionalList(files.namespaces, "namespaces"), readOptionalList(files.policies, "networkpolicies -A")]);
        if (namespaces === undefined && policies === undefined) return { status: "absent" };
        return {
          status: "read",
          data: {
            namespaces: flattenKubeObjects(namespaces === undefined ? [] : [namespaces]),
            policies: flattenKubeObjects(policies === undefined ? [] : [policies]),
          },
        };
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
 * A kube file as `kubectl get … -o json` prints it: an object whose `items` is a list of objects.
 * Anything else (a string, `items` not a list) is malformed, recorded on the run for that cluster,
 * which keeps its previous in-cluster state.
 */
async function readOptionalList(file: string, what: string): Promise<unknown | undefined> {
  let value: unknown;
  try {
    value = await readJsonFile(file);
  } catch (error) {
    if (error instanceof JsonFileError && error.kind === "missing") return undefined;
    throw error;
  }
  const expected = `expected the list that \`kubectl get ${what} -o json\` prints (an object with an "items" list)`;
  if (value === null || typeof value !== "object" || Array.isArray(value)) throw new JsonFileError(file, `${expected}, found ${describe(value)}`, "malformed");
  const items = (value as { items?: unknown }).items;
  if (!Array.isArray(items)) throw new JsonFileError(file, `${expected}, but "items" is ${describe(items)}`, "malformed");
  const wrong = items.findIndex((item) => item === null || typeof item !== "object" || Array.isArray(item));
  if (wrong >= 0) throw new JsonFileError(file, `items[${wrong}] is ${describe(items[wrong])}, not a Kubernetes object`, "malformed");
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
