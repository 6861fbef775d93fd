// Creates a migration from the difference between the last committed schema and the working one.
// `prisma migrate dev` cannot evaluate data loss under the JS schema engine in 6.19 ("shadow DB
// must be provided through an external factory"); a datamodel-to-datamodel diff needs no database.
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error("usage: npm run migration:new -- <name_in_snake_case>");
  process.exit(2);
}
const base = process.env.MIGRATION_BASE ?? "HEAD";
const previous = path.join(tmpdir(), `bulkhead-schema-${process.pid}.prisma`);
writeFileSync(previous, execFileSync("git", ["show", `${base}:prisma/schema.prisma`]));
const sql = execFileSync(
  process.execPath,
  // Through scripts/prisma.ts: the JS schema engine wants a reachable database even for this diff.
  ["--import", "./bin/register.mjs", "scripts/prisma.ts", "migrate", "diff", "--from-schema-datamodel", previous, "--to-schema-datamodel", "prisma/schema.prisma", "--script"],
  { env: { ...process.env, CHECKPOINT_DISABLE: "1" }, encoding: "utf8" },
);
if (/This is an empty migration/.test(sql)) {
  console.error(`schema.prisma has no change against ${base}`);
  process.exit(1);
}
const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
const directory = path.join("prisma", "migrations", `${stamp}_${name}`);
mkdirSync(directory, { recursive: true });
// The CLI prints "Loaded Prisma config from …" on stdout before the script.
writeFileSync(path.join(directory, "migration.sql"), `${sql.replace(/^Loaded Prisma config from .*$/m, "").trim()}\n`);
console.log(`created ${directory}/migration.sql — review it, then start any command to apply it`);
