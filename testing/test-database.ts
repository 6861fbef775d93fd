import { randomUUID } from "node:crypto";
import path from "node:path";
import pg from "pg";
import { connectDatabase, type Database } from "@/lib/db/client";
import { ensureEmbeddedPostgres } from "@/lib/db/embedded";
import { applyMigrations } from "@/lib/db/migrate";
import { findProjectRoot } from "@/lib/db/project-root";

const TEMPLATE = "bulkhead_test_template";

/** The server tests use: TEST_DATABASE_URL (any Postgres 14+), else an embedded one in .bulkhead-test/. */
async function getServer(): Promise<{ url: string; stop(): Promise<void> }> {
  if (process.env.TEST_DATABASE_URL) return { url: process.env.TEST_DATABASE_URL, stop: async () => {} };
  return ensureEmbeddedPostgres(path.join(findProjectRoot(), ".bulkhead-test"));
}

async function getServerUrl(): Promise<string> {
  return (await getServer()).url;
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

async function admin<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: withDatabase(url, "postgres") });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Vitest global setup: one migrated template database that every test file copies; returns the teardown. */
export async function prepareTemplateDatabase(): Promise<() => Promise<void>> {
  const server = await getServer();
  const url = server.url;
  await admin(url, async (client) => {
    const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [TEMPLATE]);
    if (!rowCount) await client.query(`CREATE DATABASE ${TEMPLATE}`);
  });
  try {
    await applyMigrations(withDatabase(url, TEMPLATE));
  } catch (error) {
    // A migration edited after a failed attempt leaves the template unusable (P3009): rebuild it once.
    if (!/P3009|P3018/.test(String(error))) throw error;
    await admin(url, async (client) => {
      await client.query(`DROP DATABASE IF EXISTS ${TEMPLATE} WITH (FORCE)`);
      await client.query(`CREATE DATABASE ${TEMPLATE}`);
    });
    await applyMigrations(withDatabase(url, TEMPLATE));
  }
  return server.stop;
}

export interface TestDatabase extends Database {
  url: string;
}

/** A fresh, migrated database for one test file; dropped by close(). */
export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = await getServerUrl();
  const name = `bulkhead_test_${randomUUID().replaceAll("-", "").slice(0, 16)}`;
  await admin(serverUrl, (client) => client.query(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE}`));
  const url = withDatabase(serverUrl, name);
  const database = connectDatabase(url);
  return {
    ...database,
    url,
    async close() {
      await database.close();
      await admin(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

export interface EmptyDatabase {
  url: string;
  query<Row extends Record<string, unknown>>(text: string, values?: unknown[]): Promise<{ rows: Row[] }>;
  /** Drops it (connections still open to it are closed). */
  drop(): Promise<void>;
}

/** A new database with nothing in it, not even the migrations: for what must create the schema itself. */
export async function createEmptyDatabase(): Promise<EmptyDatabase> {
  const serverUrl = await getServerUrl();
  const name = `bulkhead_empty_${randomUUID().replaceAll("-", "").slice(0, 16)}`;
  await admin(serverUrl, (client) => client.query(`CREATE DATABASE ${name}`));
  const url = withDatabase(serverUrl, name);
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  pool.on("error", () => {});
  return {
    url,
    query: async <Row extends Record<string, unknown>>(text: string, values?: unknown[]) => pool.query<Row>(text, values),
    async drop() {
      await pool.end();
      await admin(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}
