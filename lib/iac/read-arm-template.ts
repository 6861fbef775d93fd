// AKS clusters in an ARM template (`az bicep build`, `az group export`, the portal's export):
// Microsoft.ContainerService/managedClusters and the fields of properties.networkProfile that
// docs/design.md §4.1 reads, with parameters and variables worked out where they are literal.

import { evaluateArmValue, resolveArmPath, type ArmScope, type Possible } from "./arm-expressions";
import { IAC_FIELDS, type IacCluster, type IacField, type IacValue, type JsonPath } from "./iac-cluster";

const MANAGED_CLUSTERS = "microsoft.containerservice/managedclusters";
const AGENT_POOLS = "microsoft.containerservice/managedclusters/agentpools";
const DEPLOYMENTS = "microsoft.resources/deployments";
const MAX_NESTING = 10;

const NETWORK_FIELDS: Partial<Record<IacField, string>> = {
  networkPolicy: "networkPolicy",
  networkDataplane: "networkDataplane",
  networkPlugin: "networkPlugin",
  networkPluginMode: "networkPluginMode",
  podLinkLocalAccess: "podLinkLocalAccess",
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function toValue(possible: Possible): IacValue {
  if ("unknown" in possible) return { known: false, why: possible.unknown };
  if (possible.values.length === 1) return { known: true, value: possible.values[0] };
  return { known: false, why: `it can be any of ${possible.values.map((value) => JSON.stringify(value)).join(", ")}`, candidates: possible.values };
}

/** Resources as a list with their JSON paths: `resources` is an array, or an object of symbolic names (languageVersion 2.0). */
function listResources(template: Record<string, unknown>, path: JsonPath): { resource: Record<string, unknown>; path: JsonPath; label: string }[] {
  const resources = template.resources;
  if (Array.isArray(resources)) {
    return resources.flatMap((resource, index) => (isRecord(resource) ? [{ resource, path: [...path, "resources", index], label: `resources[${index}]` }] : []));
  }
  if (isRecord(resources)) {
    return Object.entries(resources).flatMap(([name, resource]) => (isRecord(resource) ? [{ resource, path: [...path, "resources", name], label: name }] : []));
  }
  return [];
}

function typeOf(resource: Record<string, unknown>, parentType: string | null): string {
  const type = typeof resource.type === "string" ? resource.type.toLowerCase() : "";
  // A child resource nested in its parent may give its type relative to the parent's.
  return parentType && type !== "" && !type.includes("/") ? `${parentType}/${type}` : type;
}

function text(possible: Possible): string | null {
  return "values" in possible && possible.values.length === 1 && typeof possible.values[0] === "string" ? possible.values[0] : null;
}

interface PoolFacts {
  cluster: string | null;
  count: IacValue;
  windows: IacValue;
}

function booleanOf(value: IacValue, test: (value: unknown) => boolean): IacValue {
  if (value.known) return { known: true, value: test(value.value) };
  if (value.candidates) {
    const results = [...new Set(value.candidates.map(test))];
    return results.length === 1 ? { known: true, value: results[0] } : { known: false, why: value.why, candidates: results };
  }
  return value;
}

function isWindows(value: unknown): boolean {
  return typeof value === "string" && value.toLowerCase() === "windows";
}

function countOf(value: IacValue): IacValue {
  if (!value.known) return value;
  return { known: true, value: typeof value.value === "number" && Number.isFinite(value.value) ? value.value : 0 };
}

/** Adds node counts and "any Windows pool" over pools; unknown when any pool's is. */
function combinePools(pools: readonly PoolFacts[]): { nodeCount: IacValue; hasWindowsPool: IacValue } {
  let total = 0;
  let countUnknown: string | null = null;
  let windows = false;
  let windowsUnknown: string | null = null;
  for (const pool of pools) {
    if (pool.count.known) total += pool.count.value as number;
    else countUnknown ??= pool.count.why;
    if (pool.windows.known) windows ||= pool.windows.value === true;
    else windowsUnknown ??= pool.windows.why;
  }
  return {
    nodeCount: countUnknown ? { known: false, why: countUnknown } : { known: true, value: total },
    hasWindowsPool: windows ? { known: true, value: true } : windowsUnknown ? { known: false, why: windowsUnknown } : { known: true, value: false },
  };
}

function poolFacts(profile: unknown, scope: ArmScope): PoolFacts {
  return {
    cluster: null,
    count: countOf(toValue(resolveArmPath(profile, ["count"], scope))),
    windows: booleanOf(toValue(resolveArmPath(profile, ["osType"], scope)), isWindows),
  };
}

interface Found {
  cluster: IacCluster;
  pools: PoolFacts[];
  resourceName: string | null;
}

/** Every managed cluster of a template, nested deployments (Bicep modules) included. */
export function readArmClusters(template: unknown): IacCluster[] {
  if (!isRecord(template)) return [];
  const found: Found[] = [];
  const standalonePools: PoolFacts[] = [];
  const visit = (current: Record<string, unknown>, path: JsonPath, scope: ArmScope, depth: number): void => {
    const walk = (entries: ReturnType<typeof listResources>, parentType: string | null, parentName: string | null): void => {
      for (const { resource, path: resourcePath, label } of entries) {
        const type = typeOf(resource, parentType);
        const name = text(evaluateArmValue(resource.name, scope));
        const fullName = parentName && name && !name.includes("/") ? `${parentName}/${name}` : name;
        const condition = evaluateArmValue(resource.condition ?? true, scope);
        if ("values" in condition && condition.values.every((value) => value === false || value === "false")) continue;
        if (type === MANAGED_CLUSTERS) {
          found.push(readCluster(resource, resourcePath, scope, fullName, label));
        } else if (type === AGENT_POOLS) {
          const pool = poolFacts(resource.properties, scope);
          standalonePools.push({ ...pool, cluster: fullName?.split("/")[0]?.toLowerCase() ?? null });
        } else if (type === DEPLOYMENTS && depth < MAX_NESTING) {
          const properties = isRecord(resource.properties) ? resource.properties : {};
          const inner = properties.template;
          if (isRecord(inner)) visit(inner, [...resourcePath, "properties", "template"], nestedScope(properties, inner, scope), depth + 1);
        }
        // Child resources nested in a parent (exports write agent pools this way).
        walk(listResources(resource, resourcePath), type, fullName);
      }
    };
    walk(listResources(current, path), null, null);
  };
  visit(template, [], scopeOf(template), 0);
  return found.map(({ cluster, pools, resourceName }) => {
    const extra = standalonePools.filter((pool) => pool.cluster !== null && pool.cluster === resourceName?.toLowerCase());
    const combined = combinePools([...pools, ...extra]);
    return { ...cluster, fields: { ...cluster.fields, ...combined } };
  });
}

function scopeOf(template: Record<string, unknown>, parameterValues?: Record<string, Possible>): ArmScope {
  return {
    parameters: isRecord(template.parameters) ? template.parameters : {},
    variables: isRecord(template.variables) ? template.variables : {},
    ...(parameterValues ? { parameterValues } : {}),
  };
}

/**
 * A nested deployment's template: with `expressionEvaluationOptions.scope: inner` (what Bicep
 * modules compile to) its parameters are the values passed in, worked out in the outer scope;
 * otherwise its expressions read the outer template's parameters and variables.
 */
function nestedScope(properties: Record<string, unknown>, inner: Record<string, unknown>, outer: ArmScope): ArmScope {
  const options = isRecord(properties.expressionEvaluationOptions) ? properties.expressionEvaluationOptions : {};
  if (typeof options.scope !== "string" || options.scope.toLowerCase() !== "inner") return outer;
  const passed: Record<string, Possible> = {};
  if (isRecord(properties.parameters)) {
    for (const [name, entry] of Object.entries(properties.parameters)) {
      if (isRecord(entry) && "value" in entry) passed[name] = evaluateArmValue(entry.value, outer);
      else passed[name] = { unknown: `parameter '${name}' of the nested deployment comes from a Key Vault reference` };
    }
  }
  return scopeOf(inner, passed);
}

function readTags(resource: Record<string, unknown>, scope: ArmScope): Record<string, string> {
  const tags = evaluateArmValue(resource.tags ?? {}, scope);
  if (!("values" in tags) || tags.values.length !== 1 || !isRecord(tags.values[0])) return {};
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(tags.values[0])) {
    const evaluated = text(evaluateArmValue(value, scope));
    if (evaluated !== null) result[key] = evaluated;
  }
  return result;
}

function readCluster(resource: Record<string, unknown>, path: JsonPath, scope: ArmScope, name: string | null, label: string): Found {
  const fields = {} as Record<IacField, IacValue>;
  const fieldNames = {} as Record<IacField, string>;
  const fieldPaths: Partial<Record<IacField, JsonPath>> = {};
  for (const field of IAC_FIELDS) {
    const key = NETWORK_FIELDS[field];
    if (!key) continue;
    fields[field] = toValue(resolveArmPath(resource, ["properties", "networkProfile", key], scope));
    fieldNames[field] = `properties.networkProfile.${key}`;
    fieldPaths[field] = [...path, "properties", "networkProfile", key];
  }
  const profiles = resolveArmPath(resource, ["properties", "agentPoolProfiles"], scope);
  const pools: PoolFacts[] = [];
  if ("unknown" in profiles) {
    pools.push({ cluster: null, count: { known: false, why: profiles.unknown }, windows: { known: false, why: profiles.unknown } });
  } else {
    for (const list of profiles.values) if (Array.isArray(list)) for (const profile of list) pools.push(poolFacts(profile, scope));
  }
  fieldNames.nodeCount = "properties.agentPoolProfiles[].count";
  fieldNames.hasWindowsPool = "properties.agentPoolProfiles[].osType";
  fieldPaths.nodeCount = [...path, "properties", "agentPoolProfiles"];
  fieldPaths.hasWindowsPool = [...path, "properties", "agentPoolProfiles"];
  return {
    cluster: { format: "arm", name: name ?? label, resourceName: name, path, fields, fieldNames, fieldPaths, tags: readTags(resource, scope) },
    pools,
    resourceName: name,
  };
}
