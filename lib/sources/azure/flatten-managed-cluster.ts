import { asRecord } from "@/lib/posture/untrusted-json";

const RESOURCE_GROUP_IN_ID = /\/resourcegroups\/([^/]+)\//i;

/**
 * One ARM ManagedCluster resource, as the REST API sends it, in the shape `az aks list -o json`
 * prints (docs/design.md §4.1): `properties` lifted to the top level and `resourceGroup` added. It is
 * built from the raw body, not the SDK model, because the model leaves out fields it does not know
 * (arm-containerservice 25.3 has no `podLinkLocalAccess`, on which NP-05 depends).
 * Secrets ARM may echo are dropped. A value that is not an object is passed on as it is, for the
 * evaluator to record as malformed.
 */
export function flattenManagedCluster(resource: unknown): unknown {
  const record = asRecord(resource);
  if (!record) return resource;
  const { properties, ...top } = record;
  const flat: Record<string, unknown> = { ...top, ...(asRecord(properties) ?? {}) };
  // The top-level identity fields win over anything of the same name inside properties.
  for (const key of ["id", "name", "type", "location", "tags"]) if (key in top) flat[key] = top[key];
  const id = typeof flat.id === "string" ? flat.id : "";
  const resourceGroup = RESOURCE_GROUP_IN_ID.exec(id)?.[1];
  if (resourceGroup && flat.resourceGroup === undefined) flat.resourceGroup = resourceGroup;
  dropSecret(flat, "servicePrincipalProfile", "secret");
  dropSecret(flat, "windowsProfile", "adminPassword");
  return flat;
}

function dropSecret(flat: Record<string, unknown>, profile: string, field: string): void {
  const record = asRecord(flat[profile]);
  if (record && field in record) flat[profile] = Object.fromEntries(Object.entries(record).filter(([key]) => key !== field));
}

/** What `managedClusters.list` sends as the resource type; Resource Graph sends it lower-cased. */
const MANAGED_CLUSTER_TYPE = "Microsoft.ContainerService/ManagedClusters";

/** Resource Graph columns that are not part of the ARM resource (the ARM path has none of them). */
const RESOURCE_GRAPH_ONLY_COLUMNS = ["subscriptionId", "resourceGroup", "tenantId", "managedBy", "plan", "zones"];

/**
 * One row of the Resource Graph inventory query (`resources | project id, name, type, location,
 * tags, properties, sku, identity, kind, extendedLocation, subscriptionId`) in the same `az aks
 * list` shape flattenManagedCluster gives a `managedClusters.list` item, so both inventories are
 * judged alike: the columns ARM does not send are dropped (the resource group comes from the id, in
 * its original case, as on the ARM path), empty optional columns are left out as ARM leaves them
 * out, and the type gets ARM's spelling. Secrets are dropped by flattenManagedCluster.
 */
export function flattenResourceGraphRow(row: unknown): unknown {
  const record = asRecord(row);
  if (!record) return row;
  const resource: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) {
    if (RESOURCE_GRAPH_ONLY_COLUMNS.includes(key)) continue;
    if (value === null || (value === "" && key !== "id" && key !== "name")) continue;
    resource[key] = value;
  }
  if (typeof resource.type === "string" && resource.type.toLowerCase() === MANAGED_CLUSTER_TYPE.toLowerCase()) resource.type = MANAGED_CLUSTER_TYPE;
  return flattenManagedCluster(resource);
}
