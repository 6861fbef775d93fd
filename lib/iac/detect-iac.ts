// Telling infrastructure-as-code documents apart from Kubernetes manifests, by their content.

export type IacFormat = "terraform" | "arm";

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * `terraform show -json` of a plan (planned_values, resource_changes) or of a state (values), and an
 * ARM deployment template (what `az bicep build` writes and what the portal and `az group export`
 * export): null for anything else.
 */
export function detectIacFormat(value: unknown): IacFormat | null {
  if (!isRecord(value)) return null;
  if (typeof value.format_version === "string" && (isRecord(value.planned_values) || Array.isArray(value.resource_changes) || isRecord(value.values))) {
    return "terraform";
  }
  const schema = typeof value.$schema === "string" ? value.$schema.toLowerCase() : "";
  if (schema.includes("deploymenttemplate.json")) return "arm";
  if (typeof value.contentVersion === "string" && (Array.isArray(value.resources) || isRecord(value.resources))) return "arm";
  return null;
}
