// A fast reader for the plain YAML that Helm, kustomize and kubectl write: no anchors, aliases, tags,
// merge keys or directives. js-yaml reads it an order of magnitude faster than the `yaml` package,
// whose syntax tree the general path needs (positions of errors, alias expansion measured before it
// happens). Anything else, and any document js-yaml refuses, goes to the general path, which then
// reports it exactly as it always did; positions of fields are found later, only for what fails.

import { CORE_SCHEMA, loadAll } from "js-yaml";

import { MAX_NESTING_DEPTH } from "../input/input-limits";

/** Constructs the general path handles: anchors, aliases, tags, merge keys, directives, document end markers. */
const NOT_PLAIN = [
  /(^|[\s[{,])[&*][^\s[\]{},]+(?=[\s[\]{},]|$)/m,
  /(^|[\s[{,])!{1,2}[\w.:/-]*(?=[\s[\]{},]|$)/m,
  /(^|[\s{,])<<\s*:/m,
  /^%/m,
  /^\.\.\.(?=[ \t\r]|$)/m,
];

export interface PlainDocument {
  value: unknown;
  /** The document's offsets in the text (its `---` line included). */
  start: number;
  end: number;
  /** Where its content starts, after the marker, comments and blank lines. */
  contentStart: number;
}

const MARKER = /^---(?=[ \t\r]|$)/gm;

function contentStart(text: string, start: number, end: number): number {
  let at = start;
  while (at < end) {
    const newline = text.indexOf("\n", at);
    const lineEnd = newline < 0 || newline > end ? end : newline;
    const line = text.slice(at, lineEnd).trim();
    // The `---` line itself only starts the document, unless content follows it on the same line.
    if (line !== "" && !line.startsWith("#") && !(line === "---" || /^---\s+#/.test(line))) return at;
    at = lineEnd + 1;
  }
  return start;
}

/**
 * The documents of `text` read the fast way, or null when the text needs the general path. Numbering
 * follows the `yaml` package's: a marker-less first part that holds only comments belongs to the first document.
 */
export function readPlainYaml(text: string): PlainDocument[] | null {
  if (NOT_PLAIN.some((pattern) => pattern.test(text))) return null;
  const starts: number[] = [];
  for (const match of text.matchAll(MARKER)) starts.push(match.index);
  if (starts[0] !== 0) {
    const head = text.slice(0, starts[0] ?? text.length);
    const hasContent = head.split("\n").some((line) => line.trim() !== "" && !line.trim().startsWith("#"));
    if (hasContent || starts.length === 0) starts.unshift(0);
  }
  const documents: PlainDocument[] = [];
  for (let index = 0; index < starts.length; index += 1) {
    const start = index === 0 ? 0 : (starts[index] as number);
    const end = starts[index + 1] ?? text.length;
    let values: unknown[];
    try {
      values = loadAll(text.slice(start, end), { schema: CORE_SCHEMA, maxDepth: MAX_NESTING_DEPTH });
    } catch {
      return null;
    }
    if (values.length > 1) return null;
    documents.push({ value: values[0] ?? null, start, end, contentStart: contentStart(text, start, end) });
  }
  return documents;
}
