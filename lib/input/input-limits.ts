// Limits on the files Bulkhead reads (`import`, `analyze`): what a hostile or broken file can cost.

/** Larger than any real export or manifest set; a bigger file is refused before it is read. */
export const MAX_INPUT_FILE_BYTES = 64 * 1024 * 1024;

/** Kubernetes objects nest a dozen levels; deeper is an attack on recursive code (and on JSON.stringify). */
export const MAX_NESTING_DEPTH = 100;

/** What YAML anchors and aliases may expand to: nodes, and bytes of keys and scalars. */
export const MAX_YAML_EXPANDED_NODES = 1_000_000;
export const MAX_YAML_EXPANDED_BYTES = 32 * 1024 * 1024;

/** `analyze DIR`: how deep a directory tree is walked and how many files it may hold. */
export const MAX_DIRECTORY_DEPTH = 32;
export const MAX_DIRECTORY_FILES = 20_000;

/**
 * Whether a parsed JSON/YAML value nests at most `limit` levels of objects and arrays. Iterative:
 * the check itself cannot overflow the stack it protects.
 */
export function isNestingWithin(value: unknown, limit = MAX_NESTING_DEPTH): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (current === null || typeof current !== "object") continue;
    if (depth >= limit) return false;
    for (const child of Array.isArray(current) ? current : Object.values(current)) {
      if (child !== null && typeof child === "object") stack.push([child, depth + 1]);
    }
  }
  return true;
}
