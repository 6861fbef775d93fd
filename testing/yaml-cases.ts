// Test support: table rows are written as the YAML a user would write (CONVENTIONS.md §9).

import { parseAllDocuments } from "yaml";

import type { InClusterData } from "@/lib/posture";
import { reduceServices } from "@/lib/sources/service-summary";

/** Removes the indentation common to every non-blank line, so YAML can sit indented in a test table. */
export function dedent(text: string): string {
  const lines = text.replace(/^\n/, "").split("\n");
  const indents = lines.filter((line) => line.trim() !== "").map((line) => line.length - line.trimStart().length);
  const common = indents.length > 0 ? Math.min(...indents) : 0;
  return lines.map((line) => line.slice(common)).join("\n");
}

/** Every document of a multi-document YAML string as plain JS; a broken case fails loudly instead of testing nothing. */
export function readYamlCase(text: string): unknown[] {
  const documents = parseAllDocuments(dedent(text));
  const values: unknown[] = [];
  for (const document of documents) {
    const error = document.errors[0];
    if (error) throw new Error(`test YAML does not parse: ${error.message}`);
    const value: unknown = document.toJS();
    if (value !== null && value !== undefined) values.push(value);
  }
  return values;
}

/** The single document of a YAML string. */
export function readYamlObject(text: string): unknown {
  const [value, ...rest] = readYamlCase(text);
  if (rest.length > 0) throw new Error("expected one YAML document");
  return value;
}

export const TEST_CLUSTER_ID =
  "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-app/providers/Microsoft.ContainerService/managedClusters/aks-app";

/** A cluster `aks-app` as `az aks list -o json` prints it; the arguments are YAML flow values. */
export function readClusterCase(networkProfile: string, agentPoolProfiles = "[{ name: system, count: 3, osType: Linux }]", id = TEST_CLUSTER_ID): unknown {
  return readYamlObject(`
    id: "${id}"
    name: aks-app
    networkProfile: ${networkProfile}
    agentPoolProfiles: ${agentPoolProfiles}
  `);
}

/** Splits Namespaces, NetworkPolicies and Services of a multi-document YAML into the kubectl lists' items. */
export function readInClusterCase(yaml: string): InClusterData {
  const objects = readYamlCase(yaml) as { kind?: unknown }[];
  const services = objects.filter((object) => object.kind === "Service");
  return {
    namespaces: objects.filter((object) => object.kind === "Namespace"),
    policies: objects.filter((object) => object.kind === "NetworkPolicy"),
    // Services only when the case has some: none written means "not read".
    ...(services.length > 0 ? { services: reduceServices(services) } : {}),
  };
}
