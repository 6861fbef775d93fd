import "server-only";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { getEnv, resolveDataDir } from "@/lib/env";

/** BULKHEAD_AUTH_SECRET, or a random secret kept (0600) in the data directory on first use. */
export async function resolveAuthSecret(): Promise<string> {
  const env = getEnv();
  if (env.BULKHEAD_AUTH_SECRET) return env.BULKHEAD_AUTH_SECRET;
  const directory = resolveDataDir(env);
  const file = path.join(directory, "auth-secret");
  if (existsSync(file)) return (await readFile(file, "utf8")).trim();
  await mkdir(directory, { recursive: true });
  const secret = randomBytes(32).toString("base64url");
  await writeFile(file, `${secret}\n`, { mode: 0o600, flag: "wx" }).catch(async (error: NodeJS.ErrnoException) => {
    // A sibling process created it first: use theirs.
    if (error.code !== "EEXIST") throw error;
  });
  return (await readFile(file, "utf8")).trim();
}
