import { AppError } from "@/lib/errors";

// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Deeper than any input of ours; a deeper body is refused before anything walks it. */
const MAX_INPUT_DEPTH = 16;

/**
 * Refuses text Postgres cannot store or the app would store garbled: NUL characters (Postgres
 * `text` cannot hold them) and lone UTF-16 surrogates (not Unicode; they would be stored as U+FFFD).
 * The message names the parameter or body field.
 */
export function assertCleanInput(input: unknown, path = ""): void {
  visit(input, path, 0);
}

function visit(value: unknown, path: string, depth: number): void {
  if (depth > MAX_INPUT_DEPTH) throw new AppError("bad-request", `${path || "request"}: nested too deeply`);
  if (typeof value === "string") {
    if (value.includes("\u0000")) throw new AppError("bad-request", `${path || "request"}: must not contain NUL characters`);
    if (LONE_SURROGATE.test(value)) throw new AppError("bad-request", `${path || "request"}: must be valid Unicode text (it holds a lone surrogate)`);
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, index) => visit(item, `${path}[${index}]`, depth + 1));
    return;
  }
  if (value && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      visit(key, path ? `${path}.(key)` : "(key)", depth + 1);
      visit(item, path ? `${path}.${key}` : key, depth + 1);
    }
  }
}
