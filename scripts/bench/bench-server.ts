// What the browser and server benchmarks share: a server started on a store of the bench's choosing,
// the loopback check, the signed-in session, and the percentile they all report.
import { spawn } from "node:child_process";
import { loadavg } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
export const REQUEST_TIMEOUT_MS = 30_000;
const DEMO_ADMIN = { email: "admin@demo.bulkhead.local", password: "bulkhead-demo-password" };

export class BenchError extends Error {}

/** Nearest-rank percentile of values (sorted or not). */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** A bench URL: repeated loads are for our own server only. */
export function loopbackUrl(url: string): URL {
  let base: URL;
  try {
    base = new URL(url);
  } catch {
    throw new BenchError(`"${url}" is not a URL`);
  }
  if (!["127.0.0.1", "localhost", "[::1]"].includes(base.hostname)) throw new BenchError(`the URL must be loopback (127.0.0.1, localhost or [::1]), not ${base.hostname}`);
  return base;
}

export interface BenchServer {
  base: URL;
  pid: number;
  stop(): Promise<void>;
}

/**
 * `bulkhead serve --demo` on `dataDir` (an empty store is filled with the demo estate first, which
 * takes a while) from the production build; resolves once it answers. Logs at warn: a line per
 * request would cost the server more than the pages it serves.
 */
export async function startBenchServer({ dataDir, port, startTimeoutMs = 600_000 }: { dataDir: string; port: number; startTimeoutMs?: number }): Promise<BenchServer> {
  const server = spawn(process.execPath, [path.join(ROOT, "bin/bulkhead.mjs"), "serve", "--demo", "--port", String(port)], {
    cwd: ROOT,
    env: { ...process.env, BULKHEAD_DATA_DIR: path.resolve(dataDir), BULKHEAD_SIGNIN_RATE_LIMIT: "1000/60", BULKHEAD_LOG_LEVEL: process.env.BULKHEAD_LOG_LEVEL ?? "warn" },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  server.stderr!.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const exited = new Promise<void>((resolve) => server.once("exit", () => resolve()));
  const stop = async () => {
    if (server.exitCode === null && server.signalCode === null) server.kill("SIGTERM");
    await exited;
  };
  const base = new URL(`http://127.0.0.1:${port}`);
  const started = Date.now();
  for (;;) {
    if (server.exitCode !== null) throw new BenchError(`the server stopped (exit ${server.exitCode}): ${stderr.trim().split("\n").slice(-3).join(" ")}`);
    if (Date.now() - started > startTimeoutMs) {
      await stop();
      throw new BenchError(`the server did not answer within ${startTimeoutMs / 1000} s`);
    }
    const ok = await fetch(new URL("/sign-in", base), { signal: AbortSignal.timeout(5_000) }).then((r) => r.ok, () => false);
    if (ok) break;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return { base, pid: server.pid!, stop };
}

/** A session's cookies, as a Cookie header and as name/value pairs (for a browser). */
export interface Session {
  header: string;
  cookies: { name: string; value: string }[];
}

/** Signs in with the demo's admin account (`serve --demo` creates it), or BENCH_EMAIL and BENCH_PASSWORD. */
export async function signIn(base: URL): Promise<Session> {
  const email = process.env.BENCH_EMAIL ?? DEMO_ADMIN.email;
  const password = process.env.BENCH_PASSWORD ?? DEMO_ADMIN.password;
  const response = await fetch(new URL("/api/auth/sign-in/email", base), {
    method: "POST",
    headers: { "content-type": "application/json", origin: base.origin },
    body: JSON.stringify({ email, password }),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  if (!response.ok) throw new BenchError(`sign-in as ${email} failed (${response.status}); start the server with --demo, or set BENCH_EMAIL and BENCH_PASSWORD`);
  const cookies = response.headers.getSetCookie().map((item) => {
    const pair = item.split(";")[0];
    const at = pair.indexOf("=");
    return { name: pair.slice(0, at), value: pair.slice(at + 1) };
  });
  if (cookies.length === 0) throw new BenchError("sign-in answered without a session cookie");
  return { header: cookies.map(({ name, value }) => `${name}=${value}`).join("; "), cookies };
}

/** The machine's load averages (1, 5, 15 minutes), printed beside every figure. */
export function machineLoad(): string {
  return loadavg().map((value) => value.toFixed(2)).join(" ");
}

/**
 * Runs a bench's `main` when its file is the script node was started with (not when another bench
 * imports it): exit status main's (0 goals met, 1 a goal missed), 2 when it could not run.
 */
export function runWhenMain(moduleUrl: string, name: string, main: () => Promise<number>): void {
  if (!process.argv[1] || fileURLToPath(moduleUrl) !== path.resolve(process.argv[1])) return;
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`${name}: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(2);
    },
  );
}
