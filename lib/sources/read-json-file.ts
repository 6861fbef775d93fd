import { readFile } from "node:fs/promises";

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

/** Reads and parses a JSON file; the error names the file and, for syntax errors, line and column. */
export async function readJsonFile(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new JsonFileError(file, "file not found", "missing");
    throw new JsonFileError(file, `cannot be read (${code ?? String(error)})`, "unreadable");
  }
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (error) {
    const message = (error as Error).message;
    const position = Number(/position (\d+)/.exec(message)?.[1]);
    const where = Number.isFinite(position) ? ` at ${lineAndColumn(text, position)}` : "";
    throw new JsonFileError(file, `is not valid JSON${where}: ${message.replace(/ in JSON at position \d+.*$/s, "")}`, "malformed");
  }
}

function lineAndColumn(text: string, position: number): string {
  const before = text.slice(0, position);
  const line = before.split("\n").length;
  const column = position - before.lastIndexOf("\n");
  return `line ${line}, column ${column}`;
}
