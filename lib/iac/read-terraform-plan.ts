// AKS clusters in `terraform show -json` output (a plan, or a state): azurerm_kubernetes_cluster's
// network_profile, an azapi_resource of type Microsoft.ContainerService/managedClusters, and the
// node pools that belong to them. A value Terraform marks "known after apply" stays unknown.

import { IAC_FIELDS, KNOWN_NULL, type IacCluster, type IacField, type IacValue, type JsonPath } from "./iac-cluster";

const UNKNOWN_AT_PLAN = "Terraform knows it only after apply";

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

interface PlannedResource {
  address: string;
  type: string;
  values: Record<string, unknown>;
  /** `after_unknown`: the same shape as values, `true` where a value is known only after apply. */
  unknown: unknown;
  path: JsonPath;
}

/** Resources of a plan (resource_changes, deletions left out) or of a state (values.root_module and its child modules). */
function listResources(document: Record<string, unknown>): PlannedResource[] {
  const resources: PlannedResource[] = [];
  if (Array.isArray(document.resource_changes)) {
    document.resource_changes.forEach((change, index) => {
      if (!isRecord(change) || change.mode === "data" || !isRecord(change.change)) return;
      const actions = Array.isArray(change.change.actions) ? change.change.actions : [];
      if (actions.length === 1 && actions[0] === "delete") return;
      const after = change.change.after;
      if (!isRecord(after)) return;
      resources.push({ address: String(change.address ?? ""), type: String(change.type ?? ""), values: after, unknown: change.change.after_unknown, path: ["resource_changes", index, "change", "after"] });
    });
    return resources;
  }
  const root = isRecord(document.values) ? document.values.root_module : isRecord(document.planned_values) ? document.planned_values.root_module : undefined;
  const rootKey = isRecord(document.values) ? "values" : "planned_values";
  const visit = (module: unknown, path: JsonPath): void => {
    if (!isRecord(module)) return;
    if (Array.isArray(module.resources)) {
      module.resources.forEach((resource, index) => {
        if (!isRecord(resource) || resource.mode === "data" || !isRecord(resource.values)) return;
        resources.push({ address: String(resource.address ?? ""), type: String(resource.type ?? ""), values: resource.values, unknown: undefined, path: [...path, "resources", index, "values"] });
      });
    }
    if (Array.isArray(module.child_modules)) module.child_modules.forEach((child, index) => visit(child, [...path, "child_modules", index]));
  };
  visit(root, [rootKey, "root_module"]);
  return resources;
}

/** Whether `after_unknown` marks the value at `keys` (or something above it) unknown. */
function isUnknown(unknown: unknown, keys: readonly (string | number)[]): boolean {
  let current = unknown;
  for (const key of keys) {
    if (current === true) return true;
    if (Array.isArray(current) && typeof key === "number") current = current[key];
    else if (isRecord(current) && typeof key === "string") current = current[key];
    else return false;
  }
  return current === true;
}

function get(values: unknown, keys: readonly (string | number)[]): unknown {
  let current = values;
  for (const key of keys) {
    if (Array.isArray(current) && typeof key === "number") current = current[key];
    else if (isRecord(current) && typeof key === "string") current = current[key];
    else return null;
  }
  return current ?? null;
}

function read(resource: PlannedResource, keys: readonly (string | number)[]): IacValue {
  if (isUnknown(resource.unknown, keys)) return { known: false, why: UNKNOWN_AT_PLAN };
  return { known: true, value: get(resource.values, keys) };
}

/** Address without a count or for_each key, in its module: `module.aks.azurerm_kubernetes_cluster.main`. */
function baseAddress(address: string): string {
  return address.replace(/\[[^\]]*\]$/, "");
}

function modulePrefix(address: string): string {
  const parts = baseAddress(address).split(".");
  return parts.slice(0, -2).join(".");
}

/** The configuration block of a resource, to see which cluster a node pool's `kubernetes_cluster_id` refers to. */
function configurationOf(document: Record<string, unknown>, address: string): Record<string, unknown> | undefined {
  const configuration = isRecord(document.configuration) ? document.configuration : undefined;
  let current = isRecord(configuration?.root_module) ? configuration.root_module : undefined;
  const parts = baseAddress(address).split(".");
  const local = parts.slice(-2).join(".");
  for (let index = 0; index + 1 < parts.length - 2; index += 2) {
    const call = isRecord(current?.module_calls) ? current.module_calls[(parts[index + 1] ?? "").replace(/\[[^\]]*\]$/, "")] : undefined;
    current = isRecord(call) && isRecord(call.module) ? call.module : undefined;
  }
  const resources = Array.isArray(current?.resources) ? current.resources : [];
  return resources.find((resource): resource is Record<string, unknown> => isRecord(resource) && resource.address === local);
}

function referencedClusters(document: Record<string, unknown>, pool: PlannedResource, attribute: string): string[] {
  const expression = get(configurationOf(document, pool.address)?.expressions, [attribute]);
  const references = isRecord(expression) && Array.isArray(expression.references) ? expression.references : [];
  const prefix = modulePrefix(pool.address);
  return references
    .filter((reference): reference is string => typeof reference === "string")
    .map((reference) => reference.replace(/\.id$/, ""))
    .map((reference) => (prefix ? `${prefix}.${reference}` : reference));
}

function isWindows(value: IacValue): IacValue {
  return value.known ? { known: true, value: typeof value.value === "string" && value.value.toLowerCase() === "windows" } : value;
}

function nodeCountOf(resource: PlannedResource, prefix: readonly (string | number)[]): IacValue {
  for (const attribute of ["node_count", "max_count"]) {
    const value = read(resource, [...prefix, attribute]);
    if (!value.known) return value;
    if (typeof value.value === "number") return value;
  }
  return { known: true, value: 0 };
}

const AZURERM_FIELDS: Partial<Record<IacField, string>> = {
  networkPolicy: "network_policy",
  networkDataplane: "network_data_plane",
  networkPlugin: "network_plugin",
  networkPluginMode: "network_plugin_mode",
};

function readAzurerm(resource: PlannedResource): IacCluster {
  const fields = {} as Record<IacField, IacValue>;
  const fieldNames = {} as Record<IacField, string>;
  const fieldPaths: Partial<Record<IacField, JsonPath>> = {};
  const profile = ["network_profile", 0] as const;
  for (const field of IAC_FIELDS) {
    const attribute = AZURERM_FIELDS[field];
    if (!attribute) continue;
    fields[field] = read(resource, [...profile, attribute]);
    fieldNames[field] = `network_profile.${attribute}`;
    fieldPaths[field] = [...resource.path, ...profile, attribute];
  }
  // azurerm 3.x spelled the Cilium dataplane ebpf_data_plane.
  const ebpf = read(resource, [...profile, "ebpf_data_plane"]);
  if (fields.networkDataplane.known && fields.networkDataplane.value === null && (!ebpf.known || ebpf.value !== null)) {
    fields.networkDataplane = ebpf;
    fieldNames.networkDataplane = "network_profile.ebpf_data_plane";
    fieldPaths.networkDataplane = [...resource.path, ...profile, "ebpf_data_plane"];
  }
  // The azurerm provider has no argument for podLinkLocalAccess: only azapi can set it.
  fields.podLinkLocalAccess = KNOWN_NULL;
  fieldNames.podLinkLocalAccess = "podLinkLocalAccess (not an azurerm_kubernetes_cluster argument; set it with azapi)";
  fields.nodeCount = nodeCountOf(resource, ["default_node_pool", 0]);
  fieldNames.nodeCount = "default_node_pool.node_count";
  fieldPaths.nodeCount = [...resource.path, "default_node_pool", 0, "node_count"];
  fields.hasWindowsPool = { known: true, value: false };
  fieldNames.hasWindowsPool = "azurerm_kubernetes_cluster_node_pool.os_type";
  return declaredCluster(resource, fields, fieldNames, fieldPaths);
}

/** The cluster a resource declares, with its string tags. */
function declaredCluster(resource: PlannedResource, fields: IacCluster["fields"], fieldNames: IacCluster["fieldNames"], fieldPaths: IacCluster["fieldPaths"]): IacCluster {
  const tags = get(resource.values, ["tags"]);
  return {
    format: "terraform",
    name: resource.address,
    resourceName: typeof resource.values.name === "string" ? resource.values.name : null,
    path: resource.path,
    fields,
    fieldNames,
    fieldPaths,
    tags: isRecord(tags) ? Object.fromEntries(Object.entries(tags).filter((entry): entry is [string, string] => typeof entry[1] === "string")) : {},
  };
}

const AZAPI_FIELDS: Partial<Record<IacField, string>> = {
  networkPolicy: "networkPolicy",
  networkDataplane: "networkDataplane",
  networkPlugin: "networkPlugin",
  networkPluginMode: "networkPluginMode",
  podLinkLocalAccess: "podLinkLocalAccess",
};

/** azapi's `body` is an object (azapi 2.x) or a JSON string (1.x). */
function azapiBody(resource: PlannedResource): { body: unknown; unknown: boolean } {
  if (isUnknown(resource.unknown, ["body"])) return { body: null, unknown: true };
  const body = resource.values.body;
  if (typeof body === "string") {
    try {
      return { body: JSON.parse(body), unknown: false };
    } catch {
      return { body: null, unknown: false };
    }
  }
  return { body, unknown: false };
}

function readAzapi(resource: PlannedResource): IacCluster {
  const { body, unknown } = azapiBody(resource);
  const stringBody = typeof resource.values.body === "string";
  const fields = {} as Record<IacField, IacValue>;
  const fieldNames = {} as Record<IacField, string>;
  const fieldPaths: Partial<Record<IacField, JsonPath>> = {};
  for (const field of IAC_FIELDS) {
    const key = AZAPI_FIELDS[field];
    if (!key) continue;
    const keys = ["properties", "networkProfile", key];
    fields[field] = unknown || isUnknown(get(resource.unknown, ["body"]), keys) ? { known: false, why: UNKNOWN_AT_PLAN } : { known: true, value: get(body, keys) };
    fieldNames[field] = `body.properties.networkProfile.${key}`;
    fieldPaths[field] = stringBody ? [...resource.path, "body"] : [...resource.path, "body", ...keys];
  }
  const pools = get(body, ["properties", "agentPoolProfiles"]);
  let nodes = 0;
  let windows = false;
  if (Array.isArray(pools)) {
    for (const pool of pools) {
      const count = get(pool, ["count"]);
      if (typeof count === "number") nodes += count;
      const os = get(pool, ["osType"]);
      if (typeof os === "string" && os.toLowerCase() === "windows") windows = true;
    }
  }
  fields.nodeCount = unknown ? { known: false, why: UNKNOWN_AT_PLAN } : { known: true, value: nodes };
  fields.hasWindowsPool = unknown ? { known: false, why: UNKNOWN_AT_PLAN } : { known: true, value: windows };
  fieldNames.nodeCount = "body.properties.agentPoolProfiles[].count";
  fieldNames.hasWindowsPool = "body.properties.agentPoolProfiles[].osType";
  return declaredCluster(resource, fields, fieldNames, fieldPaths);
}

function isAzapiCluster(resource: PlannedResource): boolean {
  return resource.type === "azapi_resource" && typeof resource.values.type === "string" && resource.values.type.toLowerCase().startsWith("microsoft.containerservice/managedclusters@");
}

/** Every AKS cluster the plan (or state) declares, with its node pools folded in. */
export function readTerraformClusters(document: unknown): IacCluster[] {
  if (!isRecord(document)) return [];
  const resources = listResources(document);
  const clusters = new Map<string, { cluster: IacCluster; id: unknown }>();
  for (const resource of resources) {
    if (resource.type === "azurerm_kubernetes_cluster") clusters.set(resource.address, { cluster: readAzurerm(resource), id: get(resource.values, ["id"]) });
    else if (isAzapiCluster(resource)) clusters.set(resource.address, { cluster: readAzapi(resource), id: get(resource.values, ["id"]) });
  }
  for (const pool of resources.filter((resource) => resource.type === "azurerm_kubernetes_cluster_node_pool")) {
    const clusterId = get(pool.values, ["kubernetes_cluster_id"]);
    const byReference = new Set(referencedClusters(document, pool, "kubernetes_cluster_id"));
    for (const [address, entry] of clusters) {
      const matches = (typeof clusterId === "string" && clusterId !== "" && clusterId === entry.id) || byReference.has(baseAddress(address));
      if (!matches) continue;
      const fields = entry.cluster.fields;
      const count = nodeCountOf(pool, []);
      fields.nodeCount =
        fields.nodeCount.known && count.known ? { known: true, value: (fields.nodeCount.value as number) + (count.value as number) } : fields.nodeCount.known ? count : fields.nodeCount;
      const windows = isWindows(read(pool, ["os_type"]));
      if (windows.known && windows.value === true) fields.hasWindowsPool = windows;
      else if (!windows.known && fields.hasWindowsPool.known && fields.hasWindowsPool.value === false) fields.hasWindowsPool = windows;
    }
  }
  return [...clusters.values()].map((entry) => entry.cluster);
}
