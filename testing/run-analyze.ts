// Test support: `bulkhead analyze` run in-process with captured streams, and a temporary directory per test file.

import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";

import { afterAll, beforeAll } from "vitest";

import { analyzeCommand, type AnalyzeIo } from "@/cli/commands/analyze";

export interface AnalyzeRun {
  code: number | undefined;
  stdout: string;
  stderr: string;
}

/** Runs `bulkhead analyze ARGS...`; standard input is empty unless `io.stdin` says otherwise. */
export async function runAnalyzeInProcess(args: readonly string[], io: Partial<Pick<AnalyzeIo, "stdin" | "cwd" | "now">> = {}): Promise<AnalyzeRun> {
  const run: AnalyzeRun = { code: undefined, stdout: "", stderr: "" };
  await analyzeCommand({
    stdout: (text) => void (run.stdout += text),
    stderr: (text) => void (run.stderr += text),
    color: false,
    setExitCode: (code) => void (run.code = code),
    stdin: io.stdin ?? { isTTY: false, stream: Readable.from([]) },
    ...(io.cwd ? { cwd: io.cwd } : {}),
    ...(io.now ? { now: io.now } : {}),
  }).parseAsync([...args], { from: "user" });
  return run;
}

/** A fresh temporary directory for the test file, removed after it; call the result for its path. */
export function temporaryDirectoryPerFile(prefix: string): () => string {
  let directory = "";
  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), prefix));
  });
  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });
  return () => directory;
}
