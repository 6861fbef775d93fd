// Runs the Prisma CLI against DATABASE_URL, or against the embedded Postgres when it is unset.
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { ensureEmbeddedPostgres } from "../lib/db/embedded";
import { parseEnv, resolveDataDir } from "../lib/env";

const env = parseEnv();
const embedded = env.DATABASE_URL ? null : await ensureEmbeddedPostgres(resolveDataDir(env));
const url = env.DATABASE_URL ?? embedded!.url;
const prismaCli = createRequire(import.meta.url).resolve("prisma/build/index.js");
const result = spawnSync(process.execPath, [prismaCli, ...process.argv.slice(2)], {
  stdio: "inherit",
  env: { ...process.env, DATABASE_URL: url },
});
await embedded?.stop();
process.exit(result.status ?? 1);
