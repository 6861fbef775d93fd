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

const globalForDb = globalThis as unknown as {
  bulkheadDatabase?: Promise<OpenedDatabase>;
  bulkheadDatabaseOpened?: OpenedDatabase;
  bulkheadDatabaseUnavailable?: boolean;
  bulkheadDatabaseRetired?: OpenedDatabase[];
};

/**
 * The process-wide database of the web server (one pool, kept across hot reloads). It reconnects:
 * when its embedded Postgres is gone (postmaster.pid no longer names its port: the server died, or
 * a CLI started it again on another port) or a request found the database unreachable, the next
 * call opens it again, which finds the running server or starts one.
 */
export function getDatabase(): Promise<OpenedDatabase> {
  const opened = globalForDb.bulkheadDatabaseOpened;
  if (opened && (globalForDb.bulkheadDatabaseUnavailable || (opened.embedded && !opened.embedded.isCurrent()))) {
    dropDatabase(opened);
  }
  globalForDb.bulkheadDatabase ??= openDatabase().then(
    (database) => {
      globalForDb.bulkheadDatabaseOpened = database;
      globalForDb.bulkheadDatabaseUnavailable = false;
      // The handles of servers left behind are let go only now: until this one holds the data
      // directory's lease, they keep it (a watchdog would otherwise see nobody using the server).
      for (const retired of globalForDb.bulkheadDatabaseRetired?.splice(0) ?? []) retired.embedded?.release();
      return database;
    },
    (error) => {
      globalForDb.bulkheadDatabase = undefined;
      // Logged here, where it is known; callers only learn that the database is not reachable.
      console.error("[db] opening the database failed", error);
      throw Object.assign(new Error("The database is not reachable.", { cause: error }), { code: "DatabaseNotReachable" });
    },
  );
  return globalForDb.bulkheadDatabase;
}

/** A request found the database unreachable: the next `getDatabase()` opens it again. */
export function markDatabaseUnavailable(): void {
  if (globalForDb.bulkheadDatabaseOpened) globalForDb.bulkheadDatabaseUnavailable = true;
}

function dropDatabase(opened: OpenedDatabase): void {
  globalForDb.bulkheadDatabase = undefined;
  globalForDb.bulkheadDatabaseOpened = undefined;
  globalForDb.bulkheadDatabaseUnavailable = false;
  // Its connections point at a server that is gone; requests still holding one finish with an error.
  (globalForDb.bulkheadDatabaseRetired ??= []).push(opened);
  void opened.prisma.$disconnect().catch(() => {});
  void opened.pool.end().catch(() => {});
}

// Postgres and Node codes that mean "no database to talk to", not "this query was wrong".
const UNAVAILABLE_CODES = new Set([
  "ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "EHOSTUNREACH",
  "57P01", "57P02", "57P03", "08000", "08001", "08003", "08004", "08006",
  "P1001", "P1002", "P1017", "DatabaseNotReachable", "ConnectionClosed", "SocketTimeout",
]);
const UNAVAILABLE_MESSAGE = /Connection terminated|connect ECONNREFUSED|Can't reach database server|terminating connection due to administrator command|the database system is (starting up|shutting down)|Client has encountered a connection error|Cannot use a pool after calling end/;

/** Whether an error (or anything it wraps: Prisma's driver-adapter errors nest) says the database is unreachable. */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== "object" || depth > 6) return false;
  const record = error as Record<string, unknown>;
  for (const key of ["code", "kind", "originalCode"]) {
    if (typeof record[key] === "string" && UNAVAILABLE_CODES.has(record[key] as string)) return true;
  }
  if (typeof record.message === "string" && UNAVAILABLE_MESSAGE.test(record.message)) return true;
  return ["cause", "meta", "driverAdapterError", "errors"].some((key) => {
    const inner = record[key];
    return Array.isArray(inner) ? inner.some((item) => isDatabaseUnavailable(item, depth + 1)) : isDatabaseUnavailable(inner, depth + 1);
  });
}
