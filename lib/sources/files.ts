import { readdir } from "node:fs/promises";
import path from "node:path";
import { flattenKubeObjects } from "@/lib/posture/kube-objects";
import { AppError } from "@/lib/errors";
import { JsonFileError, readJsonFile } from "./read-json-file";
import { createListedSource, type ClusterRef, type InClusterRead, type PostureSource, type SourceFault, type SubscriptionListing } from "./source";

const SUBSCRIPTION_IN_ID = /^\/subscriptions\/([^/]+)\//i;

/**
 * The files source (docs/design.md §6 `import`): DIR/clusters.json is `az aks list -o json`, a complete
 * listing of every subscription it names; DIR/kube/<resourceGroup>/<cluster>/ holds what
 * `kubectl get namespaces|networkpolicies -A -o json` printed. A missing kube folder is no data, not an error.
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
  if (!Array.isArray(clusters)) {
    throw new AppError("bad-input-file", `${clustersFile}: expected the JSON array that \`az aks list -o json\` prints, found ${typeof clusters}`, { file: clustersFile });
  }

  const bySubscription = new Map<string, unknown[]>();
  const unidentified: { target: string; fault: SourceFault }[] = [];
  clusters.forEach((cluster, index) => {
    const id = typeof (cluster as { id?: unknown })?.id === "string" ? (cluster as { id: string }).id : "";
    const subscriptionId = SUBSCRIPTION_IN_ID.exec(id)?.[1]?.toLowerCase();
    if (!subscriptionId) {
      unidentified.push({ target: `${clustersFile}[${index}]`, fault: { cause: "malformed", message: `${clustersFile}[${index}]: field "id" is missing or not an ARM resource id` } });
      return;
    }
    bySubscription.set(subscriptionId, [...(bySubscription.get(subscriptionId) ?? []), cluster]);
  });
  const kubeRoot = path.join(directory, "kube");
  const resourceGroupDirs = await listDirectories(kubeRoot);

  return createListedSource({
    kind: "files",
    async listAll(): Promise<SubscriptionListing[]> {
      const listings: SubscriptionListing[] = [...bySubscription.entries()].map(([subscriptionId, items]) => ({
        subscriptionId,
        ok: true as const,
        clusters: items,
      }));
      // An item we cannot place makes every listing incomplete: it could be any subscription's cluster.
      if (unidentified.length > 0) {
        if (listings.length === 0) return [{ subscriptionId: "(unknown)", ok: false, fault: unidentified[0].fault }];
        listings[0] = { ...listings[0], ok: true, faults: unidentified } as SubscriptionListing;
        for (let i = 1; i < listings.length; i++) {
          listings[i] = { ...listings[i], faults: [{ target: clustersFile, fault: { cause: "malformed", message: `${clustersFile} holds clusters without a valid id; deletions are not inferred` } }] } as SubscriptionListing;
        }
      }
      return listings;
    },
    async readInCluster(cluster: ClusterRef): Promise<InClusterRead> {
      const group = resourceGroupDirs.find((name) => name === cluster.resourceGroup) ?? resourceGroupDirs.find((name) => name.toLowerCase() === cluster.resourceGroup.toLowerCase());
      if (!group) return { status: "absent" };
      const clusterDir = path.join(kubeRoot, group, cluster.name);
      const files = { namespaces: path.join(clusterDir, "namespaces.json"), policies: path.join(clusterDir, "networkpolicies.json") };
      try {
        const [namespaces, policies] = await Promise.all([readOptional(files.namespaces), readOptional(files.policies)]);
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

async function readOptional(file: string): Promise<unknown | undefined> {
  try {
    return await readJsonFile(file);
  } catch (error) {
    if (error instanceof JsonFileError && error.kind === "missing") return undefined;
    throw error;
  }
}

async function listDirectories(directory: string): Promise<string[]> {
  try {
    return (await readdir(directory, { withFileTypes: true })).filter((entry) => entry.isDirectory()).map((entry) => entry.name);
  } catch {
    return [];
  }
}
