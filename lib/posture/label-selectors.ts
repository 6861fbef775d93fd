// Label selectors of every family compiled to one shape: a test over a label lookup that answers
// true, false or null. Null means "depends on labels nobody knows": the stranger pod's own labels
// (docs/design.md §4.2) — a selector that needs them never selects the stranger.

import { asRecord, hasOwnKeys } from "./untrusted-json";
import { ValueMemo } from "./value-memo";

/** The stranger pod's labels are unknown: a lookup that needs them answers UNKNOWN. */
export const UNKNOWN_LABEL = Symbol("unknown label");
export type LabelValue = string | undefined | typeof UNKNOWN_LABEL;
export type LabelLookup = (key: string) => LabelValue;

/** Three-valued (Kleene) result of a selector: null when the answer depends on unknown labels. */
export type SelectorResult = boolean | null;
export type SelectorTest = (lookup: LabelLookup) => SelectorResult;

export interface CompiledSelector {
  /** No entries at all: selects everything, the stranger pod included. */
  empty: boolean;
  test: SelectorTest;
  /** A canonical text of the selector, so two equal selectors can be recognised (NP-05 "covers all its pods"). */
  canonical: string;
}

export type SelectorReading = { ok: true; selector: CompiledSelector } | { ok: false; why: string };

export const SELECT_ALL: CompiledSelector = Object.freeze({ empty: true, test: () => true, canonical: "all()" });
export const SELECT_NONE: CompiledSelector = Object.freeze({ empty: false, test: () => false, canonical: "none()" });

export function and(results: readonly SelectorResult[]): SelectorResult {
  let unknown = false;
  for (const result of results) {
    if (result === false) return false;
    if (result === null) unknown = true;
  }
  return unknown ? null : true;
}

export function or(results: readonly SelectorResult[]): SelectorResult {
  let unknown = false;
  for (const result of results) {
    if (result === true) return true;
    if (result === null) unknown = true;
  }
  return unknown ? null : false;
}

export function not(result: SelectorResult): SelectorResult {
  return result === null ? null : !result;
}

export interface SelectorEntry {
  key: string;
  test: (value: LabelValue) => SelectorResult;
  canonical: string;
}

function equals(expected: string): (value: LabelValue) => SelectorResult {
  return (value) => (value === UNKNOWN_LABEL ? null : value === expected);
}

/** Builds one test from entries that must all hold. */
export function compileEntries(entries: readonly SelectorEntry[]): CompiledSelector {
  if (entries.length === 0) return SELECT_ALL;
  const canonical = entries
    .map((entry) => entry.canonical)
    .sort()
    .join(",");
  return {
    empty: false,
    canonical,
    test: (lookup) => {
      let unknown = false;
      for (const entry of entries) {
        const result = entry.test(lookup(entry.key));
        if (result === false) return false;
        if (result === null) unknown = true;
      }
      return unknown ? null : true;
    },
  };
}

/**
 * The entries of a Kubernetes-shaped label selector (`matchLabels`, `matchExpressions`), as written.
 * `normaliseKey` maps a key to the one the lookup understands (Cilium's `k8s:` prefix).
 */
export function readSelectorEntries(value: unknown, normaliseKey: (key: string) => string = (key) => key): { ok: true; entries: SelectorEntry[] } | { ok: false; why: string } {
  if (value === undefined || value === null) return { ok: true, entries: [] };
  const selector = asRecord(value);
  if (!selector) return { ok: false, why: "is not a label selector (matchLabels / matchExpressions)" };
  const entries: SelectorEntry[] = [];
  const labels = selector.matchLabels;
  if (labels !== undefined && labels !== null) {
    const record = asRecord(labels);
    if (!record) return { ok: false, why: "matchLabels is not a map" };
    for (const [rawKey, expected] of Object.entries(record)) {
      const text = typeof expected === "string" ? expected : typeof expected === "number" || typeof expected === "boolean" ? String(expected) : null;
      if (text === null) return { ok: false, why: `matchLabels.${rawKey} is not a string` };
      const key = normaliseKey(rawKey);
      entries.push({ key, test: equals(text), canonical: `${key}=${text}` });
    }
  }
  const expressions = selector.matchExpressions;
  if (expressions !== undefined && expressions !== null) {
    if (!Array.isArray(expressions)) return { ok: false, why: "matchExpressions is not a list" };
    for (let index = 0; index < expressions.length; index += 1) {
      const expression = asRecord(expressions[index]);
      if (!expression || typeof expression.key !== "string" || expression.key === "") {
        return { ok: false, why: `matchExpressions[${index}] has no key` };
      }
      const key = normaliseKey(expression.key);
      const values = expression.values === undefined || expression.values === null ? [] : expression.values;
      if (!Array.isArray(values) || values.some((item) => typeof item !== "string")) {
        return { ok: false, why: `matchExpressions[${index}].values is not a list of strings` };
      }
      const set = new Set(values as string[]);
      const sorted = [...set].sort().join("|");
      switch (expression.operator) {
        case "In":
          if (set.size === 0) return { ok: false, why: `matchExpressions[${index}]: In needs values` };
          entries.push({ key, test: (value) => (value === UNKNOWN_LABEL ? null : value !== undefined && set.has(value)), canonical: `${key} in ${sorted}` });
          break;
        case "NotIn":
          if (set.size === 0) return { ok: false, why: `matchExpressions[${index}]: NotIn needs values` };
          entries.push({ key, test: (value) => (value === UNKNOWN_LABEL ? null : value === undefined || !set.has(value)), canonical: `${key} notin ${sorted}` });
          break;
        case "Exists":
          entries.push({ key, test: (value) => (value === UNKNOWN_LABEL ? null : value !== undefined), canonical: `${key} exists` });
          break;
        case "DoesNotExist":
          entries.push({ key, test: (value) => (value === UNKNOWN_LABEL ? null : value === undefined), canonical: `!${key}` });
          break;
        default:
          return { ok: false, why: `matchExpressions[${index}].operator ${JSON.stringify(expression.operator)} is not In, NotIn, Exists or DoesNotExist` };
      }
    }
  }
  return { ok: true, entries };
}

/**
 * A small memo for compiled selectors: policies repeat the same few selectors thousands of times,
 * and compiling each anew is most of the cost of reading them. Bounded, so a long-running server
 * does not grow it without end; results are immutable, so sharing them is safe.
 */
export class SelectorMemo<T> {
  private readonly entries = new Map<string, T>();

  constructor(private readonly limit = 20_000) {}

  get(key: string, compute: () => T): T {
    const cached = this.entries.get(key);
    if (cached !== undefined) return cached;
    const value = compute();
    if (this.entries.size >= this.limit) this.entries.clear();
    this.entries.set(key, value);
    return value;
  }
}

const KUBERNETES_SELECTORS = new ValueMemo<SelectorReading>();
const SELECTS_ALL: SelectorReading = Object.freeze({ ok: true, selector: SELECT_ALL });

// `{matchLabels: {key: value}}` is most selectors there are: found by key and value, two lookups.
const SINGLE_LABEL_SELECTORS = new Map<string, Map<string, SelectorReading>>();

/** A Kubernetes label selector (podSelector, namespaceSelector): absent or without entries selects everything. */
export function compileLabelSelector(value: unknown): SelectorReading {
  if (value === undefined || value === null) return SELECTS_ALL;
  const record = asRecord(value);
  if (record) {
    let fields = 0;
    let labels: Record<string, unknown> | undefined;
    for (const field in record) {
      fields += 1;
      if (field === "matchLabels") labels = asRecord(record[field]);
    }
    if (fields === 0) return SELECTS_ALL;
    if (fields === 1 && labels) {
      let key: string | undefined;
      let count = 0;
      for (const label in labels) {
        key = label;
        count += 1;
      }
      const text = key === undefined ? undefined : labels[key];
      if (count === 1 && typeof text === "string") return singleLabelSelector(key as string, text, value);
    }
  }
  return KUBERNETES_SELECTORS.get(value, () => compileSelectorValue(value));
}

function singleLabelSelector(key: string, text: string, value: unknown): SelectorReading {
  let byValue = SINGLE_LABEL_SELECTORS.get(key);
  if (!byValue) {
    if (SINGLE_LABEL_SELECTORS.size >= 20_000) SINGLE_LABEL_SELECTORS.clear();
    byValue = new Map();
    SINGLE_LABEL_SELECTORS.set(key, byValue);
  }
  let reading = byValue.get(text);
  if (!reading) {
    if (byValue.size >= 20_000) byValue.clear();
    reading = compileSelectorValue(value);
    byValue.set(text, reading);
  }
  return reading;
}

function compileSelectorValue(value: unknown): SelectorReading {
  const read = readSelectorEntries(value);
  return read.ok ? { ok: true, selector: compileEntries(read.entries) } : read;
}

/** True when a selector has no entries: `{}`, `matchLabels: {}` or `matchExpressions: []`. */
export function isEmptySelector(value: unknown): boolean {
  const selector = asRecord(value);
  if (!selector) return value === undefined || value === null;
  const labels = asRecord(selector.matchLabels);
  const expressions = selector.matchExpressions;
  return !(labels && hasOwnKeys(labels)) && !(Array.isArray(expressions) && expressions.length > 0);
}

/** A lookup over a plain label map. */
export function lookupIn(labels: Readonly<Record<string, string>> | null): LabelLookup {
  if (labels === null) return () => UNKNOWN_LABEL;
  return (key) => (Object.prototype.hasOwnProperty.call(labels, key) ? labels[key] : undefined);
}
