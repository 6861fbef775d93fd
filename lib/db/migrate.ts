import { execFile } from "node:child_process";
import { readdir } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { findProjectRoot } from "./project-root";

const run = promisify(execFile);

interface Queryable {
  query<Row extends Record<string, unknown>>(text: string): Promise<{ rows: Row[] }>;
}

/** The migrations this version of Bulkhead ships (prisma/migrations), oldest first. */
export async function listMigrationNames(): Promise<string[]> {
  const dir = path.join(findProjectRoot(), "prisma", "migrations");
  return (await readdir(dir, { withFileTypes: true })).filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
}

/** Of the migrations this version ships, those the database has not recorded as finished in Prisma's `_prisma_migrations`. */
export async function findPendingMigrations(client: Queryable): Promise<string[]> {
  const all = await listMigrationNames();
  const exists = await client.query<{ present: boolean }>("SELECT to_regclass('public._prisma_migrations') IS NOT NULL AS present");
  if (!exists.rows[0].present) return all;
  const applied = await client.query<{ migration_name: string }>("SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL");
  const done = new Set(applied.rows.map((row) => row.migration_name));
  return all.filter((name) => !done.has(name));
}

/** Migration directories not yet recorded as finished in Prisma's `_prisma_migrations`. */
export async function listPendingMigrations(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await findPendingMigrations(client);
  } finally {
    await client.end();
  }
}

/**
 * Applies pending migrations with `prisma migrate deploy`. The CLI takes ~10 s to exit under the JS
 * schema engine, so it is only started when something is pending.
 */
export async function applyMigrations(url: string): Promise<string[]> {
  const pending = await listPendingMigrations(url);
  if (pending.length === 0) return [];
  const root = findProjectRoot();
  const cli = path.join(root, "node_modules", "prisma", "build", "index.js");
  try {
    await run(process.execPath, [cli, "migrate", "deploy"], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: url, CHECKPOINT_DISABLE: "1", PRISMA_HIDE_UPDATE_MESSAGE: "1" },
      maxBuffer: 10 * 1024 * 1024,
    });
  } catch (error) {
    const output = error as { stdout?: string; stderr?: string };
    // The URL holds a password: never echo the environment, only the CLI's own output.
    throw new Error(`Applying database migrations failed:\n${output.stderr || output.stdout || String(error)}`);
  }
  return pending;
}
