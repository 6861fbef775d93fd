import { execFileSync, spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { runCli } from "@/testing/run-cli";
import { isProcessAlive, liveLeaseHolders, readPostmaster } from "./embedded-lease";

// The web server's view of its embedded Postgres: this test process plays the web server (it uses
// getDatabase() and the /readyz route, as the Next.js server does); CLI commands run as children.
const BIN = fileURLToPath(new URL("../../bin/bulkhead.mjs", import.meta.url));

let dataDir: string;
let orphanDir: string;
let pgData: string;
let client: typeof import("./client");
let readyz: typeof import("@/app/readyz/route");

const cliEnv = () => ({ BULKHEAD_DATA_DIR: dataDir, DATABASE_URL: "" });

async function waitFor<T>(what: string, probe: () => T | null | undefined | false, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function killPostmaster(directory: string): Promise<number> {
  const postmaster = readPostmaster(path.join(directory, "pgdata"));
  if (!postmaster) throw new Error("no postmaster");
  process.kill(postmaster.pid, "SIGKILL");
  await waitFor("the postmaster to die", () => !isProcessAlive(postmaster.pid));
  return postmaster.port;
}

/** Postgres runs as `postgres` when we are root, else as us (lib/db/embedded.ts). */
function postgresUserIds(): { uid?: number; gid?: number } {
  if (process.getuid?.() !== 0) return {};
  const id = (flag: string) => Number(execFileSync("id", [flag, "postgres"], { encoding: "utf8" }).trim());
  return { uid: id("-u"), gid: id("-g") };
}

async function ready(): Promise<number> {
  return (await readyz.GET()).status;
}

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), "bulkhead-reconnect-"));
  orphanDir = await mkdtemp(path.join(tmpdir(), "bulkhead-orphan-"));
  pgData = path.join(dataDir, "pgdata");
  delete process.env.DATABASE_URL;
  process.env.BULKHEAD_DATA_DIR = dataDir;
  client = await import("./client");
  readyz = await import("@/app/readyz/route");
}, 120_000);

afterAll(async () => {
  const opened = await client.getDatabase().catch(() => null);
  await opened?.close();
  for (const directory of [dataDir, orphanDir]) {
    const left = readPostmaster(path.join(directory, "pgdata"));
    if (left) process.kill(left.pid, "SIGKILL");
    await rm(directory, { recursive: true, force: true });
  }
});

describe("the web server and its embedded Postgres", () => {
  test("a CLI that restarted Postgres on another port leaves it running for the web server, which finds it again", async () => {
    const first = await client.getDatabase();
    expect(first.embedded?.startedHere).toBe(true);
    await first.pool.query(`INSERT INTO subscriptions (id, first_seen_at) VALUES ('still-here', now())`);
    expect(await ready()).toBe(200);

    const oldPort = await killPostmaster(dataDir);
    const cli = await runCli(["kpis", "--json"], cliEnv());
    expect(cli.code).toBe(0);
    // The CLI started it and has exited; this process still uses it, so it runs on.
    const restarted = readPostmaster(pgData);
    expect(restarted).not.toBeNull();
    expect(restarted!.port).not.toBe(oldPort);
    expect(liveLeaseHolders(dataDir)).toEqual([process.pid]);

    expect(await ready()).toBe(200);
    const again = await client.getDatabase();
    expect(again.embedded?.port).toBe(restarted!.port);
    expect((await again.pool.query(`SELECT id FROM subscriptions WHERE id = 'still-here'`)).rowCount).toBe(1);
  });

  test("when nobody restarts it, the web server starts it again itself", async () => {
    await killPostmaster(dataDir);
    const db = await client.getDatabase();
    expect(db.embedded?.startedHere).toBe(true);
    expect((await db.pool.query(`SELECT id FROM subscriptions WHERE id = 'still-here'`)).rowCount).toBe(1);
    expect(await ready()).toBe(200);
  });

  test("while it cannot be reached, readiness is red and the API answers 503 with Retry-After, not 500; then both recover", async () => {
    await killPostmaster(dataDir);
    // Another live process of Postgres's user claims the data directory in postmaster.pid: Postgres cannot start.
    const claimant = spawn("sleep", ["300"], { stdio: "ignore", ...postgresUserIds() });
    await writeFile(path.join(pgData, "postmaster.pid"), `${claimant.pid}\n${pgData}\n0\n1\n\n127.0.0.1\n`);
    expect(await ready()).toBe(503);
    const filters = await import("@/app/api/filters/route");
    const { NextRequest } = await import("next/server");
    const answer = await filters.GET(new NextRequest("http://localhost:3000/api/filters"), { params: Promise.resolve({}) });
    expect(answer.status).toBe(503);
    expect(answer.headers.get("retry-after")).toBe("5");
    expect(await answer.json()).toEqual({ error: { code: "unavailable", message: "The database is not reachable right now; try again in a few seconds." } });

    claimant.kill("SIGKILL");
    await waitFor("the claimant to end", () => !isProcessAlive(claimant.pid!));
    // Readiness answers within 2 s (app/readyz); Postgres's crash recovery may take longer on a busy
    // machine, and the start goes on behind a 503 — so probe as an orchestrator does, a bounded number of times.
    let status = await ready();
    for (let probe = 1; status !== 200 && probe < 10; probe += 1) status = await ready();
    expect(status).toBe(200);
  });

  test("a CLI that started Postgres and is killed (SIGKILL) leaves no Postgres behind", async () => {
    const worker = spawn(process.execPath, [BIN, "worker"], { env: { ...process.env, BULKHEAD_DATA_DIR: orphanDir, DATABASE_URL: "", NO_COLOR: "1" }, stdio: "ignore" });
    const orphanData = path.join(orphanDir, "pgdata");
    const postmaster = await waitFor("the worker's Postgres", () => readPostmaster(orphanData), 90_000);
    await waitFor("the worker's lease", () => liveLeaseHolders(orphanDir).includes(worker.pid!));
    worker.kill("SIGKILL");
    await waitFor("the worker to die", () => !isProcessAlive(worker.pid!));
    // The watchdog sees no lease holder left and stops the server.
    await waitFor("the orphaned Postgres to stop", () => !isProcessAlive(postmaster.pid), 20_000);
    expect(readPostmaster(orphanData)).toBeNull();
  }, 150_000);

  test("the last user to stop stops the server", async () => {
    const db = await client.getDatabase();
    const postmaster = readPostmaster(pgData)!;
    await db.close();
    expect(isProcessAlive(postmaster.pid)).toBe(false);
    expect(liveLeaseHolders(dataDir)).toEqual([]);
  });
});
