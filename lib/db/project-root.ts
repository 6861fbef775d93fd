import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

let cached: string | undefined;

/** The checkout that holds prisma/: from this file when run from source, else the working directory (Next's bundles). */
export function findProjectRoot(): string {
  if (cached) return cached;
  const candidates = [process.env.BULKHEAD_HOME, path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../.."), process.cwd()];
  cached = candidates.find((dir): dir is string => !!dir && existsSync(path.join(dir, "prisma", "migrations"))) ?? process.cwd();
  return cached;
}
