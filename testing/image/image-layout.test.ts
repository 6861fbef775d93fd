// What the container image runs, run here without a container engine: scripts/image/assemble-app.sh
// (the Dockerfile's own step) lays out the standalone server, the CLI and a production install in a
// temporary directory; the server and the CLI are then started from it as the image's entrypoint
// starts them (`node /app/bin/bulkhead.mjs ...`, working directory /app, the image's environment)
// against a new, empty database, which they migrate. Needs `npm run build` first (npm test runs it).
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { findProjectRoot } from "@/lib/db/project-root";
import { parsePrometheusText, sampleValue } from "@/testing/prometheus-text";
import { createEmptyDatabase, type EmptyDatabase } from "@/testing/test-database";

const run = promisify(execFile);
const ROOT = findProjectRoot();
const METRICS_TOKEN = "image-test-metrics-token-0123456789abcdef";
const AUTH_SECRET = "image-test-auth-secret-0123456789abcdefgh";

let work: string;
let app: string;
let database: EmptyDatabase;
let server: ChildProcess | undefined;
let serverLog = "";
let port: number;
let filesBefore: Map<string, number>;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port: found } = probe.address() as { port: number };
      probe.close(() => resolve(found));
    });
  });
}

/** The image's environment (Dockerfile ENV) plus what a deployment sets; nothing of this checkout's. */
function imageEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    NODE_ENV: "production",
    HOME: path.join(work, "home"),
    TMPDIR: path.join(work, "tmp"),
    BULKHEAD_HOME: app,
    BULKHEAD_DATA_DIR: path.join(work, "data"),
    NEXT_TELEMETRY_DISABLED: "1",
    CHECKPOINT_DISABLE: "1",
    PRISMA_HIDE_UPDATE_MESSAGE: "1",
    DATABASE_URL: database.url,
    BULKHEAD_AUTH_SECRET: AUTH_SECRET,
    NO_COLOR: "1",
    ...extra,
  };
}

/** `docker run bulkhead ARGS...`: the entrypoint with the image's working directory and environment. */
function bulkhead(args: string[], options: { input?: string } = {}) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    const child = execFile(process.execPath, [path.join(app, "bin", "bulkhead.mjs"), ...args], { cwd: app, env: imageEnv(), maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr }),
    );
    if (options.input !== undefined) child.stdin!.end(options.input);
  });
}

/** Every file under the app directory with its modification time: the image's root file system is read-only. */
async function listFiles(dir: string, into = new Map<string, number>()): Promise<Map<string, number>> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) await listFiles(full, into);
    else into.set(path.relative(app, full), (await stat(full)).mtimeMs);
  }
  return into;
}

async function waitFor(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server?.exitCode !== null && server?.exitCode !== undefined) throw new Error(`the server exited with ${server.exitCode}:\n${serverLog}`);
    try {
      if ((await fetch(url, { signal: AbortSignal.timeout(2_000) })).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms:\n${serverLog}`);
}

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), "bulkhead-image-"));
  app = path.join(work, "app");
  for (const dir of ["home", "tmp", "data"]) await run("mkdir", ["-p", path.join(work, dir)]);
  await run("sh", [path.join(ROOT, "scripts", "image", "assemble-app.sh"), ROOT, app], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024, timeout: 600_000 });
  database = await createEmptyDatabase();
  filesBefore = await listFiles(app);
}, 660_000);

afterAll(async () => {
  if (server && server.exitCode === null) {
    server.kill("SIGTERM");
    await new Promise((resolve) => server!.once("exit", resolve));
  }
  await database?.drop();
  if (work) await rm(work, { recursive: true, force: true });
});

describe("the production install", () => {
  test("has the runtime dependencies and none of the development ones", async () => {
    for (const runtime of ["next", "prisma", "@prisma/client", "tsx", "pg-boss", "prom-client", "pino"]) {
      expect(existsSync(path.join(app, "node_modules", runtime, "package.json")), runtime).toBe(true);
    }
    for (const dev of ["typescript", "vitest", "vite", "playwright", "eslint", "@playwright/test", "lighthouse", "@vitest/coverage-v8", "kubernetes-models"]) {
      expect(existsSync(path.join(app, "node_modules", dev)), dev).toBe(false);
    }
    // Nothing installed that the lock file knows only as a development package.
    const lock = JSON.parse(await readFile(path.join(ROOT, "package-lock.json"), "utf8")) as { packages: Record<string, { dev?: boolean }> };
    const installed = JSON.parse(await readFile(path.join(app, "node_modules", ".package-lock.json"), "utf8")) as { packages: Record<string, unknown> };
    const devInstalled = Object.keys(installed.packages).filter((name) => lock.packages[name]?.dev === true);
    expect(devInstalled).toEqual([]);
    expect(Object.keys(installed.packages).length).toBeGreaterThan(100);
    // npm agrees that the tree is exactly the lock file's production part.
    const { stdout } = await run("npm", ["ls", "--omit=dev", "--all", "--json"], { cwd: app, maxBuffer: 64 * 1024 * 1024 });
    expect(JSON.parse(stdout).problems ?? []).toEqual([]);
  });

  test("holds the standalone server output, the static assets and the migrations, and no tests", async () => {
    for (const file of [".next/BUILD_ID", ".next/required-server-files.json", ".next/static", "public/robots.txt", "prisma/migrations/migration_lock.toml", "bin/healthcheck.mjs"]) {
      expect(existsSync(path.join(app, file)), file).toBe(true);
    }
    expect(existsSync(path.join(app, ".next", "cache"))).toBe(false);
    expect([...filesBefore.keys()].filter((file) => file.endsWith(".test.ts") && !file.startsWith("node_modules/"))).toEqual([]);
  });
});

describe("the CLI from the image", () => {
  test("migrate applies every migration to the empty database, then has nothing left to do", async () => {
    const migrations = (await readdir(path.join(app, "prisma", "migrations"), { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name).sort();
    const first = await bulkhead(["migrate"]);
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    expect(first.stdout).toBe(`${migrations.map((name) => `applied ${name}\n`).join("")}The database has all ${migrations.length} migrations of this version (${migrations.length} applied now).\n`);
    const again = await bulkhead(["migrate"]);
    expect(again.stdout).toBe(`The database has all ${migrations.length} migrations of this version (0 applied now).\n`);
  });

  test("records a run from files and prints the KPIs", async () => {
    const imported = await bulkhead(["import", path.join(ROOT, "testing", "fixtures", "sample-estate"), "--as-of", "2026-11-01T06:00:00Z"]);
    expect(imported.stderr + imported.stdout).toMatch(/Run #1 completed[\s\S]*errors: none/);
    expect(imported.code).toBe(0);
    const kpis = await bulkhead(["kpis", "--json", "--as-of", "2026-11-02T00:00:00Z"]);
    expect(kpis.code).toBe(0);
    const report = JSON.parse(kpis.stdout);
    // The sample estate's six clusters (testing/fixtures/sample-estate/README.md), its Cilium and Calico ones included.
    expect(report.groups).toEqual([expect.objectContaining({ key: "all", clusters: 6 })]);
    const { rows } = await database.query<{ n: number }>("SELECT count(*)::int AS n FROM _prisma_migrations WHERE finished_at IS NOT NULL");
    const migrations = (await readdir(path.join(app, "prisma", "migrations"), { withFileTypes: true })).filter((e) => e.isDirectory());
    expect(rows[0].n).toBe(migrations.length);
  });

  test("analyze judges Bulkhead's own manifests: they pass", async () => {
    const analyzed = await bulkhead(["analyze", path.join(ROOT, "deploy", "kubernetes"), "--json"]);
    expect(analyzed.code).toBe(0);
    expect(JSON.parse(analyzed.stdout)).toMatchObject({ namespaces: [{ name: "bulkhead", defaultDenyIngress: true, defaultDenyEgress: true }], allowAnyRules: [] });
  });

  test("users adds the first admin", async () => {
    const added = await bulkhead(["users", "add", "admin@example.com", "--role", "admin", "--password-stdin"], { input: "a-long-enough-password-for-the-image-test\n" });
    expect(added.stderr).toBe("");
    expect(added.code).toBe(0);
  });

  test("worker starts, reports ready and stops cleanly on SIGTERM", async () => {
    const worker = spawn(process.execPath, [path.join(app, "bin", "bulkhead.mjs"), "worker", "--concurrency", "2"], { cwd: app, env: imageEnv(), stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    worker.stdout!.on("data", (chunk) => (output += chunk));
    worker.stderr!.on("data", (chunk) => (output += chunk));
    const deadline = Date.now() + 60_000;
    while (!/ready/.test(output) && worker.exitCode === null && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
    expect(output).toMatch(/ready/);
    worker.kill("SIGTERM");
    const code = await new Promise<number | null>((resolve) => worker.once("exit", resolve));
    expect(code).toBe(0);
  });
});

describe("the web server from the image", () => {
  beforeAll(async () => {
    port = await freePort();
    server = spawn(process.execPath, [path.join(app, "bin", "bulkhead.mjs"), "serve", "--host", "127.0.0.1"], {
      cwd: app,
      env: imageEnv({ PORT: String(port), BULKHEAD_METRICS_TOKEN: METRICS_TOKEN }),
      stdio: ["ignore", "pipe", "pipe"],
    });
    server.stdout!.on("data", (chunk) => (serverLog += chunk));
    server.stderr!.on("data", (chunk) => (serverLog += chunk));
    await waitFor(`http://127.0.0.1:${port}/healthz`, 120_000);
  }, 150_000);

  test("/healthz and /readyz answer without a session", async () => {
    expect(await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()).toEqual({ status: "ok" });
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: "ready" });
  });

  test("the image's HEALTHCHECK command passes", async () => {
    await expect(run(process.execPath, [path.join(app, "bin", "healthcheck.mjs")], { cwd: app, env: imageEnv({ PORT: String(port) }) })).resolves.toBeDefined();
  });

  test("the sign-in page renders with its assets, and pages need a session", async () => {
    const page = await fetch(`http://127.0.0.1:${port}/sign-in`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("Sign in");
    expect(page.headers.get("content-security-policy")).toMatch(/script-src 'self' 'nonce-/);
    const asset = /\/_next\/static\/[^"]+\.js/.exec(html)?.[0];
    expect(asset).toBeDefined();
    expect((await fetch(`http://127.0.0.1:${port}${asset}`)).status).toBe(200);
    const overview = await fetch(`http://127.0.0.1:${port}/`, { redirect: "manual" });
    expect(overview.status).toBe(307);
    expect(overview.headers.get("location")).toContain("/sign-in");
  });

  test("/metrics: refused without the token, the KPIs with it", async () => {
    expect((await fetch(`http://127.0.0.1:${port}/metrics`)).status).toBe(401);
    const response = await fetch(`http://127.0.0.1:${port}/metrics`, { headers: { Authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(response.status).toBe(200);
    const samples = parsePrometheusText(await response.text());
    expect(sampleValue(samples, "bulkhead_kpi_clusters", { by: "all", key: "all" })).toBe(6);
    expect(sampleValue(samples, "bulkhead_store_up")).toBe(1);
  });

  test("logs are JSON lines with request ids and no secrets", async () => {
    await fetch(`http://127.0.0.1:${port}/sign-in`, { headers: { "X-Request-Id": "image-test-request-1" } });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const lines = serverLog.split("\n").filter((line) => line.startsWith("{"));
    const request = lines.map((line) => JSON.parse(line)).find((entry) => entry.reqId === "image-test-request-1");
    expect(request).toMatchObject({ service: "bulkhead", method: "GET", path: "/sign-in", status: 200 });
    expect(serverLog).not.toContain(AUTH_SECRET);
    expect(serverLog).not.toContain(METRICS_TOKEN);
    expect(serverLog).not.toContain(new URL(database.url).password || "\u0000");
  });

  test("nothing was written under the app directory (a read-only root file system is enough)", async () => {
    const after = await listFiles(app);
    const changed = [...after].filter(([file, mtime]) => filesBefore.get(file) !== mtime).map(([file]) => file);
    expect(changed).toEqual([]);
  });
});
