// Who uses an embedded Postgres: one lease file per process, in <data dir>/leases/<pid>. The server
// stops when the last lease holder lets go, or, if that one was killed, when the watchdog sees
// nobody holding a lease (lib/db/postgres-watchdog.ts). Shared by both, so no Node-only state here.

import { existsSync, mkdirSync, readdirSync, readFileSync, unlinkSync, writeFileSync } from "node:fs";
import path from "node:path";

export function leaseDirectory(root: string): string {
  return path.join(root, "leases");
}

/** A process's start time (Linux: /proc/<pid>/stat field 22), so a reused pid is not taken for the holder. */
export function processStartTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name, which is in parentheses and may itself hold spaces.
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19] ?? null;
  } catch {
    return null;
  }
}

/** Alive, and not a zombie (an exited process nobody has reaped yet still answers kill(pid, 0)). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  // Without /proc (macOS) kill(pid, 0) is all there is.
  if (!HAS_PROC) return true;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
}

const HAS_PROC = existsSync("/proc/self/stat");

/** Writes this process's lease (idempotent). */
export function writeLease(root: string, pid = process.pid): string {
  const directory = leaseDirectory(root);
  mkdirSync(directory, { recursive: true });
  const file = path.join(directory, String(pid));
  writeFileSync(file, processStartTime(pid) ?? "");
  return file;
}

export function removeLease(root: string, pid = process.pid): void {
  try {
    unlinkSync(path.join(leaseDirectory(root), String(pid)));
  } catch {
    // Already gone.
  }
}

/** The pids holding a lease and still alive; leases of dead processes are removed on the way. */
export function liveLeaseHolders(root: string): number[] {
  const directory = leaseDirectory(root);
  if (!existsSync(directory)) return [];
  const live: number[] = [];
  for (const name of readdirSync(directory)) {
    const pid = Number(name);
    if (!Number.isInteger(pid) || pid <= 0) continue;
    let recorded = "";
    try {
      recorded = readFileSync(path.join(directory, name), "utf8").trim();
    } catch {
      continue;
    }
    const current = processStartTime(pid);
    const alive = isProcessAlive(pid) && (recorded === "" || current === null || current === recorded);
    if (alive) live.push(pid);
    else removeLease(root, pid);
  }
  return live;
}

/**
 * A postmaster that died but was never reaped (its parent exited and, in many containers, pid 1
 * reaps nothing) still answers kill(pid, 0), so Postgres takes its lock file for a running server
 * and refuses to start. A zombie runs nothing: its lock file can go.
 */
export function removeZombieLock(pgData: string): boolean {
  const file = path.join(pgData, "postmaster.pid");
  try {
    const pid = Number(readFileSync(file, "utf8").split("\n")[0]);
    if (!Number.isInteger(pid) || pid <= 0 || !HAS_PROC) return false;
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    if (stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z") return false;
    unlinkSync(file);
    return true;
  } catch {
    return false;
  }
}

/** The running postmaster of a data directory, from postmaster.pid, or null. */
export function readPostmaster(pgData: string): { pid: number; port: number } | null {
  try {
    const lines = readFileSync(path.join(pgData, "postmaster.pid"), "utf8").split("\n");
    const pid = Number(lines[0]);
    const port = Number(lines[3]);
    if (!Number.isInteger(pid) || pid <= 0 || !Number.isInteger(port)) return null;
    return isProcessAlive(pid) ? { pid, port } : null;
  } catch {
    return null;
  }
}

/** Fast shutdown (SIGINT: sessions end, no recovery needed at the next start); resolves when it is gone. */
export async function stopPostmaster(pid: number, timeoutMs = 30_000): Promise<boolean> {
  try {
    process.kill(pid, "SIGINT");
  } catch {
    return true;
  }
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isProcessAlive(pid)) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return !isProcessAlive(pid);
}
