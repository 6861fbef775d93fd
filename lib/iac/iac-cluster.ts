// A cluster declared in infrastructure as code: the fields the engine rule of docs/design.md §4.1
// reads, each known (a literal), one of a few values, or unknown until deployment.

import type { IacFormat } from "./detect-iac";

/** The cluster fields §4.1 and the advisories read, by their `az aks` names. */
export const IAC_FIELDS = ["networkPolicy", "networkDataplane", "networkPlugin", "networkPluginMode", "podLinkLocalAccess", "nodeCount", "hasWindowsPool"] as const;
export type IacField = (typeof IAC_FIELDS)[number];

/** A field's value: known, one of a few candidates (allowed values, both arms of an `if`), or unknown with the reason. */
export type IacValue = { known: true; value: unknown } | { known: false; why: string; candidates?: readonly unknown[] };

export const KNOWN_NULL: IacValue = { known: true, value: null };

export function known(value: unknown): IacValue {
  return { known: true, value };
}

/** Where a field sits in the document (a JSON path), for file and line in reports. */
export type JsonPath = readonly (string | number)[];

export interface IacCluster {
  format: IacFormat;
  /** Terraform: the resource address (`module.aks.azurerm_kubernetes_cluster.main`); ARM: the resource's name, or its place. */
  name: string;
  /** The AKS cluster's own name, when the code gives it literally (exceptions may name it). */
  resourceName: string | null;
  /** The resource in the document. */
  path: JsonPath;
  fields: Record<IacField, IacValue>;
  /** The field's name as the document spells it (`network_profile.network_policy`, `properties.networkProfile.networkPolicy`). */
  fieldNames: Record<IacField, string>;
  /** Where each field is (or where it would be written), for reports. */
  fieldPaths: Partial<Record<IacField, JsonPath>>;
  tags: Record<string, string>;
}

/** Values a field may take when nothing says which: the ones §4.1 and the advisories tell apart. */
export const FIELD_DOMAINS: Readonly<Record<IacField, readonly unknown[]>> = {
  networkPolicy: [null, "none", "azure", "calico", "cilium", "(another value)"],
  networkDataplane: [null, "azure", "cilium"],
  networkPlugin: [null, "azure", "kubenet", "none"],
  networkPluginMode: [null, "overlay"],
  podLinkLocalAccess: [null, "IMDS", "None"],
  nodeCount: [1, 251],
  hasWindowsPool: [false, true],
};

export function describeValue(value: unknown): string {
  return value === null || value === undefined ? "unset" : typeof value === "string" ? `"${value}"` : JSON.stringify(value);
}
