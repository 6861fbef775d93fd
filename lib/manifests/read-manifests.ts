// Reads Kubernetes manifests for `bulkhead analyze`: YAML or JSON, multi-document, lists flattened.

import { readFile } from "node:fs/promises";

import { LineCounter, parseAllDocuments } from "yaml";

import { AppError } from "../errors";
import { flattenKubeObjects } from "../posture/kube-objects";

export interface ManifestProblem {
  file: string;
  /** 1-based position of the YAML document in the file, when the problem is inside one. */
  document: number | null;
  line: number | null;
  column: number | null;
  reason: string;
}

export function formatManifestProblem(problem: ManifestProblem): string {
  const where = [
    problem.document !== null ? `document ${problem.document}` : null,
    problem.line !== null ? `line ${problem.line}` : null,
    problem.column !== null ? `column ${problem.column}` : null,
  ].filter((part) => part !== null);
  return `${problem.file}: ${where.length > 0 ? `${where.join(", ")}: ` : ""}${problem.reason}`;
}

/** One or more input files could not be read or parsed; every problem names its file. */
export class ManifestReadError extends AppError {
  readonly problems: readonly ManifestProblem[];

  constructor(problems: readonly ManifestProblem[]) {
    super("bad-input-file", problems.map(formatManifestProblem).join("\n"), { problems });
    this.name = "ManifestReadError";
    this.problems = problems;
  }
}

/** Where each object read from a manifest came from, so reports can name the file and document. */
const SOURCES = new WeakMap<object, { file: string; document: number }>();

export function manifestSource(object: unknown): { file: string; document: number } | undefined {
  return typeof object === "object" && object !== null ? SOURCES.get(object) : undefined;
}

/** Flattens one document's lists and remembers where every resulting object came from. */
function flattenDocument(value: unknown, file: string, document: number): unknown[] {
  const objects = flattenKubeObjects([value]);
  for (const object of objects) if (typeof object === "object" && object !== null) SOURCES.set(object, { file, document });
  return objects;
}

/** Aliases expand; the cap stops a "billion laughs" document from eating the machine. */
const MAX_ALIAS_COUNT = 1000;

function describeValue(value: unknown): string {
  if (value === null) return "null";
  return Array.isArray(value) ? "a list" : `a ${typeof value}`;
}

/** yaml's messages end with " at line L, column C:" and a code excerpt; the position is reported separately. */
function firstLineOf(message: string): string {
  const first = message.split("\n", 1)[0] ?? message;
  return first.replace(/ at line \d+, column \d+:?\s*$/, "").trim();
}

function tryParseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

/**
 * Parses one file's text into Kubernetes objects (Lists flattened). JSON takes the fast path;
 * everything else, and JSON that JSON.parse rejects, goes through the YAML parser, which reports lines.
 */
export function parseManifestText(text: string, file: string): unknown[] {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const start = source.trimStart().charAt(0);
  if (start === "{" || start === "[") {
    const json = tryParseJson(source);
    if (json.ok) {
      if (typeof json.value !== "object" || json.value === null) {
        throw new ManifestReadError([{ file, document: 1, line: 1, column: null, reason: `expected a Kubernetes object, found ${describeValue(json.value)}` }]);
      }
      return flattenDocument(json.value, file, 1);
    }
  }

  const lineCounter = new LineCounter();
  const documents = parseAllDocuments(source, { lineCounter, merge: true });
  const objects: unknown[] = [];
  for (let index = 0; index < documents.length; index += 1) {
    const document = documents[index];
    if (!document) continue;
    const number = index + 1;
    const error = document.errors[0];
    if (error) {
      const position = error.linePos?.[0] ?? lineCounter.linePos(error.pos[0]);
      throw new ManifestReadError([{ file, document: number, line: position.line, column: position.col, reason: firstLineOf(error.message) }]);
    }
    let value: unknown;
    try {
      value = document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (cause) {
      throw new ManifestReadError([
        { file, document: number, line: null, column: null, reason: cause instanceof Error ? cause.message : String(cause) },
      ]);
    }
    // An empty document (a trailing `---`, a file of comments) holds nothing to analyse.
    if (value === null || value === undefined) continue;
    if (typeof value !== "object") {
      const offset = document.contents?.range[0] ?? 0;
      const position = lineCounter.linePos(offset);
      throw new ManifestReadError([
        { file, document: number, line: position.line, column: position.col, reason: `expected a Kubernetes object, found ${describeValue(value)}` },
      ]);
    }
    objects.push(...flattenDocument(value, file, number));
  }
  return objects;
}

export async function readManifestFile(file: string): Promise<unknown[]> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException | undefined)?.code;
    const reason = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a directory" : `cannot read (${code ?? String(cause)})`;
    throw new ManifestReadError([{ file, document: null, line: null, column: null, reason }]);
  }
  return parseManifestText(text, file);
}

/** Reads and parses every file before returning anything, so a broken file stops the run before analysis starts. */
export async function readManifestFiles(files: readonly string[]): Promise<unknown[]> {
  const results = await Promise.allSettled(files.map((file) => readManifestFile(file)));
  const problems: ManifestProblem[] = [];
  const objects: unknown[] = [];
  for (const result of results) {
    if (result.status === "fulfilled") {
      for (const object of result.value) objects.push(object);
    } else if (result.reason instanceof ManifestReadError) {
      problems.push(...result.reason.problems);
    } else {
      throw result.reason;
    }
  }
  if (problems.length > 0) throw new ManifestReadError(problems);
  return objects;
}
