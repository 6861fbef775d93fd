// What is said about an exceptions file: its error and an entry's one-line description. Apart from the
// parser (./exceptions-file, with its schema library) so that `bulkhead analyze` loads the parser only
// when --exceptions is given.
import type { ExceptionEntry } from "./exceptions-file";

/** The file is not a valid exceptions file; each problem names the file, the entry and the field. */
export class ExceptionsFileError extends Error {
  constructor(
    readonly file: string,
    readonly problems: readonly string[],
  ) {
    super(problems.map((problem) => `${file}: ${problem}`).join("\n"));
    this.name = "ExceptionsFileError";
  }
}

/** How people name an entry in messages: `exceptions[2] (line 14, NP-03 in batch)`. */
export function describeEntry(entry: ExceptionEntry): string {
  const what = entry.rule
    ? `${entry.rule.kind === "NetworkPolicy" ? "" : `${entry.rule.kind} `}${entry.rule.namespace ? `${entry.rule.namespace}/` : ""}${entry.rule.policy} ${entry.rule.list ?? entry.rule.direction ?? "rule"}[${entry.rule.index}]`
    : `${entry.control}${entry.namespace ? ` in ${entry.namespace}` : entry.cluster ? ` on ${entry.cluster}` : " everywhere"}`;
  return `exceptions[${entry.index}]${entry.line ? ` (line ${entry.line}` : " ("}${entry.line ? ", " : ""}${what})`;
}
