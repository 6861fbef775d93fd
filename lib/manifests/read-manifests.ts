// Reads Kubernetes manifests for `bulkhead analyze`: YAML or JSON, multi-document, lists flattened.

import { readdir, realpath, stat } from "node:fs/promises";
import path from "node:path";

import { LineCounter, parseAllDocuments, type Document } from "yaml";

import { AppError } from "../errors";
import { detectIacFormat, type IacFormat } from "../iac/detect-iac";
import { decodeInputText, TextDecodeError } from "../input/decode-text";
import { isNestingWithin, MAX_DIRECTORY_DEPTH, MAX_DIRECTORY_FILES, MAX_NESTING_DEPTH } from "../input/input-limits";
import { InputFileError, readInputFile } from "../input/read-input-file";
import { readInputStream } from "../input/read-input-stream";
import { flattenKubeObjects } from "../posture/kube-objects";
import { readPlainYaml } from "./plain-yaml";
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

/** One input's text, shared by every object read from it; line starts are worked out when first asked for. */
export class ManifestText {
  private lines: LineCounter | null;
  /** Documents parsed again to find a field's position, by their start offset. */
  readonly parsed = new Map<number, Document.Parsed>();

  constructor(
    readonly file: string,
    readonly text: string,
    lines: LineCounter | null = null,
  ) {
    this.lines = lines;
  }

  /** Line and column (from 1) of an offset in the text. */
  position(offset: number): { line: number; column: number } {
    if (!this.lines) {
      this.lines = new LineCounter();
      this.lines.addNewLine(0);
      for (let index = this.text.indexOf("\n"); index >= 0; index = this.text.indexOf("\n", index + 1)) this.lines.addNewLine(index + 1);
    }
    const { line, col } = this.lines.linePos(offset);
    return { line, column: col };
  }
}

/** Where an object read from a manifest came from: file, document, line, and Helm's `# Source:` template. */
export interface ManifestSource {
  file: string;
  /** 1-based position of the YAML document in the file. */
  document: number;
  /** Where the object starts (1-based). */
  line: number;
  column: number;
  /** The chart template Helm rendered the document from (`# Source: chart/templates/x.yaml`), if it says. */
  template: string | null;
  /** The object's path inside its document: `[]`, or `["items", 3]` for an item of a List. */
  path: readonly (string | number)[];
  /** The document's offsets in the text. */
  range: readonly [number, number];
  input: ManifestText;
}

const SOURCES = new WeakMap<object, ManifestSource>();

export function manifestSource(object: unknown): ManifestSource | undefined {
  return typeof object === "object" && object !== null ? SOURCES.get(object) : undefined;
}

/** A document in a Terraform plan or an ARM template: judged for the cluster setting, not as Kubernetes objects. */
export interface IacDocument {
  format: IacFormat;
  value: unknown;
  source: ManifestSource;
}

/** Everything read from the inputs: Kubernetes objects (lists flattened) and infrastructure-as-code documents. */
export interface ManifestInput {
  objects: unknown[];
  iac: IacDocument[];
}

/** Helm writes `# Source: <chart>/templates/<file>` at the top of each document it renders. */
const HELM_SOURCE = /^#\s*Source:\s*(\S.*?)\s*$/gm;

function helmTemplate(text: string, start: number, end: number): string | null {
  let template: string | null = null;
  for (const match of text.slice(start, end).matchAll(HELM_SOURCE)) template = match[1] ?? null;
  return template;
}

interface DocumentPlace {
  input: ManifestText;
  document: number;
  range: readonly [number, number];
  /** Offset where the document's value starts. */
  contentStart: number;
}

/** Flattens one document's lists, or takes it whole when it is infrastructure as code, and remembers where everything came from. */
function readDocument(value: unknown, place: DocumentPlace, into: ManifestInput): void {
  const template = helmTemplate(place.input.text, place.range[0], place.contentStart);
  const { line, column } = place.input.position(place.contentStart);
  const format = detectIacFormat(value);
  if (format) {
    into.iac.push({ format, value, source: { file: place.input.file, document: place.document, line, column, template, path: [], range: place.range, input: place.input } });
    return;
  }
  flattenKubeObjects([value], (object, at) => {
    into.objects.push(object);
    if (typeof object !== "object" || object === null) return;
    // Items of a List start on their own line, found when a report asks (locateField).
    SOURCES.set(object, { file: place.input.file, document: place.document, line, column, template, path: at.slice(1), range: place.range, input: place.input });
  });
}

/**
 * The position of a field of an object read from a manifest (`["spec", "ingress", 0]`), or of the
 * nearest part of it that exists; the object's own start when the document cannot be read again.
 */
export function locateField(object: unknown, field: readonly (string | number)[]): { line: number; column: number } | null {
  const source = manifestSource(object);
  return source ? locateInSource(source, field) : null;
}

/** The position of a path inside a source's object (or of the nearest part of it that exists). */
export function locateInSource(source: ManifestSource, field: readonly (string | number)[]): { line: number; column: number } {
  const { input, range } = source;
  let document = input.parsed.get(range[0]);
  if (!document) {
    const [parsed] = parseAllDocuments(input.text.slice(range[0], range[1]));
    if (!parsed || parsed.errors.length > 0) return { line: source.line, column: source.column };
    document = parsed as Document.Parsed;
    input.parsed.set(range[0], document);
  }
  const full = [...source.path, ...field];
  for (let length = full.length; length >= 0; length -= 1) {
    const node = document.getIn(full.slice(0, length), true) as { range?: [number, number, number] } | undefined;
    if (node && typeof node === "object" && Array.isArray(node.range)) return input.position(range[0] + node.range[0]);
  }
  return { line: source.line, column: source.column };
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
  return parseManifestDocuments(text, file).objects;
}

/** Parses one input's text into Kubernetes objects and infrastructure-as-code documents, each with where it came from. */
export function parseManifestDocuments(text: string, file: string): ManifestInput {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const into: ManifestInput = { objects: [], iac: [] };
  const leading = source.length - source.trimStart().length;
  const start = source.charAt(leading);
  if (start === "{" || start === "[") {
    const json = tryParseJson(source);
    if (json.ok) {
      if (typeof json.value !== "object" || json.value === null) {
        throw new ManifestReadError([{ file, document: 1, line: 1, column: null, reason: `expected a Kubernetes object, found ${describeValue(json.value)}` }]);
      }
      if (!isNestingWithin(json.value)) throw new ManifestReadError([{ file, document: 1, line: null, column: null, reason: TOO_DEEP, limit: true }]);
      readDocument(json.value, { input: new ManifestText(file, source), document: 1, range: [0, source.length], contentStart: leading }, into);
      return into;
    }
  }

  if (readPlainDocuments(source, file, into)) return into;
  const lineCounter = new LineCounter();
  const documents = parseAllDocuments(source, { lineCounter, merge: true });
  const input = new ManifestText(file, source, lineCounter);
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
    const range: [number, number] = [document.range[0], document.range[2]];
    readDocument(value, { input, document: number, range, contentStart: document.contents?.range[0] ?? range[0] }, into);
  }
  return into;
}

/**
 * The fast path for plain YAML (lib/manifests/plain-yaml.ts): false, with nothing added, when the
 * text needs the general path, which then also says exactly what is wrong with it.
 */
function readPlainDocuments(source: string, file: string, into: ManifestInput): boolean {
  const documents = readPlainYaml(source);
  if (!documents) return false;
  for (const document of documents) {
    const value = document.value;
    if (value !== null && typeof value !== "object") return false;
    if (!isNestingWithin(value)) return false;
  }
  const input = new ManifestText(file, source);
  documents.forEach((document, index) => {
    if (document.value === null) return;
    readDocument(document.value, { input, document: index + 1, range: [document.start, document.end], contentStart: document.contentStart }, into);
  });
  return true;
}

/** Terraform and Bicep sources are not read directly; what to give instead (docs/ci.md). */
const SOURCE_FORMATS: Readonly<Record<string, string>> = {
  ".tf": "is Terraform source: give the plan as JSON instead (terraform show -json PLAN > plan.json), whose values Terraform has worked out",
  ".bicep": "is Bicep source: give the ARM template it compiles to instead (az bicep build --file main.bicep --outfile main.json)",
};

function problemOf(file: string, cause: InputFileError | TextDecodeError): ManifestProblem {
  if (cause instanceof TextDecodeError) return { file, document: null, line: null, column: null, reason: cause.reason };
  const reason = cause.problem === "missing" ? "no such file" : cause.reason;
  return { file, document: null, line: null, column: null, reason, limit: cause.problem === "too-large" };
}

async function readManifestBytes(file: string): Promise<Buffer> {
  try {
    return await readInputFile(file);
  } catch (cause) {
    if (!(cause instanceof InputFileError)) throw cause;
    // A link that leads back to itself: open() says ELOOP; say what it means.
    if (cause.problem === "unreadable" && /\bELOOP\b/.test(cause.reason)) {
      throw new ManifestReadError([{ file, document: null, line: null, column: null, reason: "is a symbolic link loop (it leads back to itself)" }]);
    }
    throw new ManifestReadError([problemOf(file, cause)]);
  }
}

function decodeManifest(bytes: Buffer, file: string): string {
  try {
    return decodeInputText(bytes);
  } catch (cause) {
    if (!(cause instanceof TextDecodeError)) throw cause;
    throw new ManifestReadError([problemOf(file, cause)]);
  }
}

export async function readManifestFile(file: string): Promise<unknown[]> {
  return (await readNamedFile(file)).objects;
}

/** A file named on the command line: it must be a manifest, a Terraform plan or an ARM template. */
async function readNamedFile(file: string): Promise<ManifestInput> {
  const sourceFormat = SOURCE_FORMATS[path.extname(file).toLowerCase()];
  if (sourceFormat) throw new ManifestReadError([{ file, document: null, line: null, column: null, reason: sourceFormat }]);
  return parseManifestDocuments(decodeManifest(await readManifestBytes(file), file), file);
}

/** Standard input for `-`: bounded like a file, refused when it is a terminal (nothing would ever arrive). */
export interface StandardInput {
  isTTY: boolean;
  stream: AsyncIterable<Uint8Array | string>;
  /** What reports call it ("-" unless --stdin-name says otherwise). */
  name: string;
}

async function readStandardInput(stdin: StandardInput | undefined): Promise<ManifestInput> {
  const name = stdin?.name ?? "-";
  if (!stdin) throw new ManifestReadError([{ file: name, document: null, line: null, column: null, reason: "standard input cannot be read here" }]);
  if (stdin.isTTY) {
    throw new ManifestReadError([
      { file: name, document: null, line: null, column: null, reason: "standard input is a terminal: pipe manifests in (helm template CHART | bulkhead analyze -)" },
    ]);
  }
  let bytes: Buffer;
  try {
    bytes = await readInputStream(stdin.stream, name);
  } catch (cause) {
    if (!(cause instanceof InputFileError)) throw cause;
    throw new ManifestReadError([problemOf(name, cause)]);
  }
  return parseManifestDocuments(decodeManifest(bytes, name), name);
}

/** A file `analyze DIR` passed over, and why; it is reported, not analysed. */
export interface SkippedFile {
  file: string;
  reason: string;
}

const MANIFEST_EXTENSIONS = new Set([".yaml", ".yml", ".json"]);

/**
 * Every file under a directory, recursively, in a stable order. Symbolic links are followed: a link
 * back to a directory the walk is inside (a loop) stops the read, naming it; a second path to a
 * directory already read elsewhere is passed over. The walk is bounded in depth and size.
 */
async function listDirectoryFiles(directory: string, skipped: SkippedFile[]): Promise<string[]> {
  const files: string[] = [];
  const visited = new Set<string>();
  const loop = (link: string, reason: string): ManifestReadError => new ManifestReadError([{ file: link, document: null, line: null, column: null, reason, limit: true }]);
  const walk = async (current: string, depth: number, ancestors: readonly string[]): Promise<void> => {
    const real = await realpath(current);
    const ancestor = ancestors.indexOf(real);
    if (ancestor >= 0) throw loop(current, `is a symbolic link loop: it leads back to ${ancestor === 0 ? directory : real}, which contains it`);
    if (visited.has(real)) {
      skipped.push({ file: current, reason: `already read through another path (${real})` });
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
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ELOOP") throw loop(child, "is a symbolic link loop (it leads back to itself)");
        skipped.push({ file: child, reason: "a broken symbolic link" });
        continue;
      }
      if (stats.isDirectory()) {
        await walk(child, depth + 1, [...ancestors, real]);
      } else if (stats.isFile()) {
        if (files.length >= MAX_DIRECTORY_FILES) throw new ManifestReadError([{ file: directory, document: null, line: null, column: null, reason: `holds more than ${MAX_DIRECTORY_FILES} files` }]);
        files.push(child);
      } else {
        skipped.push({ file: child, reason: "not a regular file" });
      }
    }
  };
  await walk(directory, 0, []);
  return files;
}

/**
 * A file found in a directory: read when its content is YAML or JSON holding Kubernetes objects, a
 * Terraform plan or an ARM template. Binary files and text that is not YAML/JSON are passed over
 * with a reason; a .yaml/.yml/.json file that does not parse is still an error (it was meant to be
 * a manifest), and so is one that breaks a limit.
 */
async function readDirectoryEntry(file: string, skipped: SkippedFile[]): Promise<ManifestInput> {
  const none: ManifestInput = { objects: [], iac: [] };
  const extension = path.extname(file).toLowerCase();
  const manifestByName = MANIFEST_EXTENSIONS.has(extension);
  const sourceFormat = SOURCE_FORMATS[extension];
  if (sourceFormat) {
    skipped.push({ file, reason: sourceFormat });
    return none;
  }
  const bytes = await readManifestBytes(file);
  let text: string;
  try {
    text = decodeInputText(bytes);
  } catch (error) {
    if (!(error instanceof TextDecodeError)) throw error;
    if (manifestByName) throw new ManifestReadError([problemOf(file, error)]);
    skipped.push({ file, reason: "binary, not YAML or JSON" });
    return none;
  }
  let read: ManifestInput;
  try {
    read = parseManifestDocuments(text, file);
  } catch (error) {
    if (manifestByName || !(error instanceof ManifestReadError) || error.problems.some((problem) => problem.limit)) throw error;
    skipped.push({ file, reason: "not Kubernetes YAML or JSON" });
    return none;
  }
  const kubernetes = read.objects.filter((object) => typeof object === "object" && object !== null && "kind" in object);
  if (kubernetes.length === 0 && read.iac.length === 0) skipped.push({ file, reason: "holds no Kubernetes objects" });
  return { objects: kubernetes, iac: read.iac };
}

export interface ReadManifestOptions {
  /** Collects what a directory held that is not a manifest. */
  skipped?: SkippedFile[];
  /** What `-` reads. */
  stdin?: StandardInput;
}

/**
 * Reads and parses every file (and every file under every directory, and standard input for `-`)
 * before returning anything, so a broken input stops the run before analysis starts.
 */
export async function readManifestInputs(paths: readonly string[], options: ReadManifestOptions = {}): Promise<ManifestInput> {
  const skipped = options.skipped ?? [];
  if (paths.filter((input) => input === "-").length > 1) {
    throw new ManifestReadError([{ file: "-", document: null, line: null, column: null, reason: "standard input can be read only once: give - once" }]);
  }
  const results = await Promise.allSettled(
    paths.map(async (input): Promise<ManifestInput> => {
      if (input === "-") return readStandardInput(options.stdin);
      const stats = await stat(input).catch(() => null);
      if (!stats?.isDirectory()) return readNamedFile(input);
      const found = await listDirectoryFiles(input, skipped);
      const read: ManifestInput = { objects: [], iac: [] };
      for (const file of found) {
        const entry = await readDirectoryEntry(file, skipped);
        for (const object of entry.objects) read.objects.push(object);
        read.iac.push(...entry.iac);
      }
      return read;
    }),
  );
  const problems: ManifestProblem[] = [];
  const read: ManifestInput = { objects: [], iac: [] };
  for (const result of results) {
    if (result.status === "fulfilled") {
      for (const object of result.value.objects) read.objects.push(object);
      read.iac.push(...result.value.iac);
    } else if (result.reason instanceof ManifestReadError) {
      problems.push(...result.reason.problems);
    } else {
      throw result.reason;
    }
  }
  if (problems.length > 0) throw new ManifestReadError(problems);
  return read;
}

/** The Kubernetes objects of every file and directory, as readManifestInputs reads them. */
export async function readManifestFiles(paths: readonly string[], skipped: SkippedFile[] = []): Promise<unknown[]> {
  return (await readManifestInputs(paths, { skipped })).objects;
}
