// Readers for JSON from outside (az, kubectl, user manifests): nothing here throws.

export type JsonRecord = Record<string, unknown>;

export function asRecord(value: unknown): JsonRecord | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as JsonRecord) : undefined;
}

export function readString(value: unknown): string | null {
  return typeof value === "string" ? value : null;
}

/**
 * A list field of a Kubernetes object. `null` counts as absent because Go decodes it to a nil slice;
 * anything that is not an array is malformed, and each caller decides what malformed means for it.
 */
export type ListField = { state: "absent" } | { state: "list"; items: unknown[] } | { state: "malformed" };

const ABSENT: ListField = Object.freeze({ state: "absent" });
const MALFORMED: ListField = Object.freeze({ state: "malformed" });

export function readListField(value: unknown): ListField {
  if (value === undefined || value === null) return ABSENT;
  if (Array.isArray(value)) return { state: "list", items: value };
  return MALFORMED;
}

/** A list field that is present but not a list (see listItems). */
export const NOT_A_LIST = Symbol("not a list");

/**
 * readListField without the wrapper object, for readers that run once per rule: the items, undefined
 * when absent (or null), NOT_A_LIST when malformed.
 */
export function listItems(value: unknown): unknown[] | undefined | typeof NOT_A_LIST {
  if (value === undefined || value === null) return undefined;
  return Array.isArray(value) ? value : NOT_A_LIST;
}

/** True when a list field allows everything: absent or empty. */
export function isAbsentOrEmpty(field: ListField): boolean {
  return field.state === "absent" || (field.state === "list" && field.items.length === 0);
}

export function hasOwnKeys(record: JsonRecord): boolean {
  for (const key in record) {
    if (Object.prototype.hasOwnProperty.call(record, key)) return true;
  }
  return false;
}
