// Reads Kubernetes manifests for `bulkhead analyze`: YAML or JSON, multi-document, lists flattened.

import { readdir, realpath, stat } from "node:fs/promises";
import path from "node:path";

import { LineCounter, parseAllDocuments } from "yaml";

import { AppError } from "../errors";
import { isNestingWithin, MAX_DIRECTORY_DEPTH, MAX_DIRECTORY_FILES, MAX_NESTING_DEPTH } from "../input/input-limits";
import { InputFileError, readInputFile } from "../input/read-input-file";
import { flattenKubeObjects } from "../posture/kube-objects";
import { ExpansionLimitError, measureExpansion } from "./yaml-expansion";

export interface ManifestProblem {
  file: string;
  /** 1-based position of the YAML document in the file, when the problem is inside one. */
  document: number | null;
  line: number | null;
  column: number | null;
  reason: string;
  /** A limit was hit (size, nesting, alias expansion): never passed over as "not a manifest". */
  limit?: boolean;
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

const TOO_DEEP = `nests objects or lists deeper than ${MAX_NESTING_DEPTH} levels`;

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
      if (!isNestingWithin(json.value)) throw new ManifestReadError([{ file, document: 1, line: null, column: null, reason: TOO_DEEP, limit: true }]);
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
      // The yaml parser catches its own stack overflow on deep nesting and reports it as an error.
      const tooDeep = /Maximum call stack size exceeded/.test(error.message);
      throw new ManifestReadError([{ file, document: number, line: position.line, column: position.col, reason: tooDeep ? TOO_DEEP : firstLineOf(error.message), limit: tooDeep }]);
    }
    let value: unknown;
    try {
      // Measured before it is expanded: aliases must not turn a small file into millions of objects.
      measureExpansion(document);
      value = document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (cause) {
      const limit = cause instanceof ExpansionLimitError || cause instanceof RangeError || /alias count/.test(String(cause));
      const reason = cause instanceof ExpansionLimitError ? cause.message : cause instanceof RangeError ? TOO_DEEP : cause instanceof Error ? cause.message : String(cause);
      throw new ManifestReadError([{ file, document: number, line: null, column: null, reason, limit }]);
    }
    if (!isNestingWithin(value)) throw new ManifestReadError([{ file, document: number, line: null, column: null, reason: TOO_DEEP, limit: true }]);
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
  return parseManifestText(await readManifestText(file), file);
}

async function readManifestText(file: string): Promise<string> {
  try {
    return (await readInputFile(file)).toString("utf8");
  } catch (cause) {
    if (!(cause instanceof InputFileError)) throw cause;
    const reason = cause.problem === "missing" ? "no such file" : cause.reason;
    throw new ManifestReadError([{ file, document: null, line: null, column: null, reason, limit: cause.problem === "too-large" }]);
  }
}

/** A file `analyze DIR` passed over, and why; it is reported, not analysed. */
export interface SkippedFile {
  file: string;
  reason: string;
}

const MANIFEST_EXTENSIONS = new Set([".yaml", ".yml", ".json"]);

/**
 * Every file under a directory, recursively, in a stable order. Symbolic links are followed once:
 * a directory already visited (a loop) is not entered again; the walk is bounded in depth and size.
 */
async function listDirectoryFiles(directory: string, skipped: SkippedFile[]): Promise<string[]> {
  const files: string[] = [];
  const visited = new Set<string>();
  const walk = async (current: string, depth: number): Promise<void> => {
    const real = await realpath(current);
    if (visited.has(real)) {
      skipped.push({ file: current, reason: "already read through another path (a symbolic link loop?)" });
      return;
    }
    visited.add(real);
    if (depth > MAX_DIRECTORY_DEPTH) {
      skipped.push({ file: current, reason: `deeper than ${MAX_DIRECTORY_DEPTH} directories` });
      return;
    }
    const entries = (await readdir(current, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      const child = path.join(current, entry.name);
      // Dot-directories are version control and tool state (.git, .helm), not manifests.
      if (entry.name.startsWith(".") && entry.isDirectory()) continue;
      let stats;
      try {
        stats = await stat(child);
      } catch {
        skipped.push({ file: child, reason: "a broken symbolic link" });
        continue;
      }
      if (stats.isDirectory()) {
        await walk(child, depth + 1);
      } else if (stats.isFile()) {
        if (files.length >= MAX_DIRECTORY_FILES) throw new ManifestReadError([{ file: directory, document: null, line: null, column: null, reason: `holds more than ${MAX_DIRECTORY_FILES} files` }]);
        files.push(child);
      } else {
        skipped.push({ file: child, reason: "not a regular file" });
      }
    }
  };
  await walk(directory, 0);
  return files;
}

function looksBinary(text: string): boolean {
  // NUL bytes, or bytes that are not UTF-8 (decoded as U+FFFD), in the first 8 KB.
  const head = text.slice(0, 8192);
  return head.includes("\u0000") || (head.match(/\uFFFD/g)?.length ?? 0) > 4;
}

/**
 * A file found in a directory: read when its content is YAML or JSON holding Kubernetes objects.
 * Binary files and text that is not YAML/JSON are passed over with a reason; a .yaml/.yml/.json
 * file that does not parse is still an error (it was meant to be a manifest).
 */
async function readDirectoryEntry(file: string, skipped: SkippedFile[]): Promise<unknown[]> {
  const text = await readManifestText(file);
  if (looksBinary(text)) {
    skipped.push({ file, reason: "binary, not YAML or JSON" });
    return [];
  }
  const manifestByName = MANIFEST_EXTENSIONS.has(path.extname(file).toLowerCase());
  let objects: unknown[];
  try {
    objects = parseManifestText(text, file);
  } catch (error) {
    if (manifestByName || !(error instanceof ManifestReadError) || error.problems.some((problem) => problem.limit)) throw error;
    skipped.push({ file, reason: "not Kubernetes YAML or JSON" });
    return [];
  }
  const kubernetes = objects.filter((object) => typeof object === "object" && object !== null && "kind" in object);
  if (kubernetes.length === 0) skipped.push({ file, reason: "holds no Kubernetes objects" });
  return kubernetes;
}

/**
 * Reads and parses every file (and every file under every directory) before returning anything,
 * so a broken file stops the run before analysis starts. `skipped` collects what a directory held
 * that is not a manifest.
 */
export async function readManifestFiles(paths: readonly string[], skipped: SkippedFile[] = []): Promise<unknown[]> {
  const results = await Promise.allSettled(
    paths.map(async (input) => {
      const stats = await stat(input).catch(() => null);
      if (!stats?.isDirectory()) return readManifestFile(input);
      const found = await listDirectoryFiles(input, skipped);
      const objects: unknown[] = [];
      for (const file of found) objects.push(...(await readDirectoryEntry(file, skipped)));
      return objects;
    }),
  );
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
