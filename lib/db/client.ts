import "server-only";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { getEnv, resolveDataDir } from "@/lib/env";
import { PrismaClient } from "@prisma/client";
import { ensureEmbeddedPostgres, type EmbeddedDatabase } from "./embedded";
import { applyMigrations } from "./migrate";

export interface Database {
  prisma: PrismaClient;
  /** For bulk writes and set-based SQL that Prisma's query API does not express. */
  pool: pg.Pool;
  close(): Promise<void>;
}

/** A client over an explicit URL; the caller owns it (tests, tools). */
export function connectDatabase(url: string, options: { max?: number } = {}): Database {
  const pool = new pg.Pool({ connectionString: url, max: options.max ?? 10 });
  // Idle clients can lose their server (restart); without a listener that error would crash the process.
  pool.on("error", () => {});
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  return {
    prisma,
    pool,
    async close() {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}

export interface OpenedDatabase extends Database {
  embedded: EmbeddedDatabase | null;
}

/** DATABASE_URL when set, else the embedded Postgres in BULKHEAD_DATA_DIR; migrations applied. */
export async function openDatabase(options: { onLog?: (line: string) => void } = {}): Promise<OpenedDatabase> {
  const env = getEnv();
  const embedded = env.DATABASE_URL ? null : await ensureEmbeddedPostgres(resolveDataDir(env), options.onLog);
  const url = env.DATABASE_URL ?? embedded!.url;
  await applyMigrations(url);
  const database = connectDatabase(url);
  return {
    ...database,
    embedded,
    async close() {
      await database.close();
      await embedded?.stop();
    },
  };
}

const globalForDb = globalThis as unknown as { bulkheadDatabase?: Promise<OpenedDatabase> };

/** The process-wide database of the web server (one pool, kept across hot reloads). */
export function getDatabase(): Promise<OpenedDatabase> {
  globalForDb.bulkheadDatabase ??= openDatabase().catch((error) => {
    globalForDb.bulkheadDatabase = undefined;
    throw error;
  });
  return globalForDb.bulkheadDatabase;
}
