// Test and benchmark support: real `bulkhead worker` processes (the bin, as an operator starts it).
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { findProjectRoot } from "@/lib/db/project-root";

export interface WorkerProcess {
  pid: number;
  child: ChildProcess;
  /** Everything the worker printed on stderr so far. */
  output(): string;
  /** Settles with the exit code (or the signal's name) when the process has ended. */
  exited: Promise<number | string>;
}

export function spawnWorkerProcess(options: { databaseUrl: string; args?: string[]; env?: Record<string, string> }): WorkerProcess {
  const bin = path.join(findProjectRoot(), "bin", "bulkhead.mjs");
  const child = spawn(process.execPath, [bin, "worker", ...(options.args ?? [])], {
    env: { ...process.env, NO_COLOR: "1", ...options.env, DATABASE_URL: options.databaseUrl },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | string>((resolve) => child.on("exit", (code, signal) => resolve(code ?? signal ?? "unknown")));
  return { pid: child.pid!, child, output: () => stderr, exited };
}

/** Resolves once `predicate` holds, polling every `intervalMs`; rejects after `timeoutMs` with `what`. */
export async function pollUntil(what: string, predicate: () => boolean | Promise<boolean>, options: { timeoutMs?: number; intervalMs?: number } = {}): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 25));
  }
}
