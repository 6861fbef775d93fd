import { InputFileError, readInputFile } from "@/lib/input/read-input-file";
import { isNestingWithin, MAX_NESTING_DEPTH } from "@/lib/input/input-limits";

export class JsonFileError extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
    readonly kind: "missing" | "unreadable" | "malformed",
  ) {
    super(`${file}: ${reason}`);
    this.name = "JsonFileError";
  }
}

/**
 * Reads and parses a JSON file; the error names the file and, for syntax errors, line and column.
 * Only regular files are read (a FIFO would hang the import), and nothing nested deeper than any
 * Kubernetes or Azure document is.
 */
export async function readJsonFile(file: string): Promise<unknown> {
  let text: string;
  try {
    text = (await readInputFile(file)).toString("utf8");
  } catch (error) {
    if (error instanceof InputFileError) throw new JsonFileError(file, error.reason, error.problem === "missing" ? "missing" : "unreadable");
    throw error;
  }
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (error) {
    const message = (error as Error).message;
    const position = Number(/position (\d+)/.exec(message)?.[1]);
    const where = Number.isFinite(position) ? ` at ${lineAndColumn(text, position)}` : "";
    throw new JsonFileError(file, `is not valid JSON${where}: ${message.replace(/ in JSON at position \d+.*$/s, "")}`, "malformed");
  }
  if (!isNestingWithin(value)) throw new JsonFileError(file, `nests objects or lists deeper than ${MAX_NESTING_DEPTH} levels`, "malformed");
  return value;
}

function lineAndColumn(text: string, position: number): string {
  const before = text.slice(0, position);
  const line = before.split("\n").length;
  const column = position - before.lastIndexOf("\n");
  return `line ${line}, column ${column}`;
}
