// Benchmark of the dashboard against a running server: server response time of every page and API
// route (p50/p95 over N sequential loads), and the Lighthouse scores of the Overview.
//
// Start a server on the demo estate at its default size (150 clusters, 180 days), then run this:
//
//   npm run build
//   BULKHEAD_DATA_DIR=.bulkhead-bench node bin/bulkhead.mjs serve --demo --port 3100   # fills an empty store first (~30 s)
//   node --import ./bin/register.mjs scripts/bench/bench-dashboard.ts [URL] [--runs N] [--no-lighthouse]
//
// URL defaults to http://127.0.0.1:3100 and must be loopback. It signs in with the demo's admin
// account (`serve --demo` creates it; another account via BENCH_EMAIL and BENCH_PASSWORD).
// Prints one JSON line per figure: {"name","value","unit","goal","met"}. Exit status: 0 every goal
// met, 1 a goal missed, 2 the benchmark could not run.

import { execFile } from "node:child_process";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { signIn } from "./sign-in";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const PAGE_GOAL_MS = 300;
const LIGHTHOUSE_GOALS = { performance: 90, accessibility: 95 };
const MAX_RUNS = 1_000;
const REQUEST_TIMEOUT_MS = 30_000;
const WARMUP = 2;
const SESSION_BASELINE = "/api/auth/get-session";

interface Figure {
  name: string;
  value: number | null;
  unit: string;
  goal: string | null;
  met: boolean | null;
}

class BenchError extends Error {}

function parseArgs(argv: string[]): { base: URL; runs: number; lighthouse: boolean } {
  let url = "http://127.0.0.1:3100";
  let runs = Number(process.env.BENCH_RUNS ?? 30);
  let lighthouse = true;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--runs") runs = Number(argv[++i]);
    else if (arg.startsWith("--runs=")) runs = Number(arg.slice("--runs=".length));
    else if (arg === "--no-lighthouse") lighthouse = false;
    else if (arg.startsWith("-")) throw new BenchError(`unknown option ${arg}`);
    else url = arg;
  }
  if (!Number.isInteger(runs) || runs < 1 || runs > MAX_RUNS) throw new BenchError(`--runs must be a whole number from 1 to ${MAX_RUNS}`);
  let base: URL;
  try {
    base = new URL(url);
  } catch {
    throw new BenchError(`"${url}" is not a URL`);
  }
  // Repeated loads are for our own server only.
  if (!["127.0.0.1", "localhost", "[::1]"].includes(base.hostname)) throw new BenchError(`the URL must be loopback (127.0.0.1, localhost or [::1]), not ${base.hostname}`);
  return { base, runs, lighthouse };
}

function emit(figure: Figure): void {
  process.stdout.write(`${JSON.stringify(figure)}\n`);
}

async function get(base: URL, target: string, cookie: string): Promise<{ status: number; ms: number; body: string }> {
  const started = performance.now();
  const response = await fetch(new URL(target, base), { headers: { cookie }, redirect: "manual", signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  const body = await response.text();
  return { status: response.status, ms: performance.now() - started, body };
}

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

const round1 = (value: number) => Math.round(value * 10) / 10;

/** Every `app/api/**\/route.ts` that answers GET, as a URL path with its `[param]` segments. */
async function discoverApiRoutes(): Promise<string[]> {
  const found: string[] = [];
  async function walk(dir: string): Promise<void> {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.name === "route.ts") {
        const source = await readFile(full, "utf8");
        if (!/export\s+(const|async\s+function|function)\s+GET\b/.test(source)) continue;
        const route = `/${path.relative(path.join(ROOT, "app"), path.dirname(full)).split(path.sep).join("/")}`;
        found.push(route.replace(/\/\([^)]+\)/g, ""));
      }
    }
  }
  await walk(path.join(ROOT, "app", "api"));
  return found.sort();
}

/** The first numeric `id` in a JSON answer (a list's first row), to fill `[id]` segments. */
function firstId(json: unknown): number | null {
  if (Array.isArray(json)) {
    for (const item of json) {
      const id = firstId(item);
      if (id !== null) return id;
    }
    return null;
  }
  if (json && typeof json === "object") {
    const record = json as Record<string, unknown>;
    if (typeof record.id === "number") return record.id;
    for (const value of Object.values(record)) {
      if (value && typeof value === "object") {
        const id = firstId(value);
        if (id !== null) return id;
      }
    }
  }
  return null;
}

/** Every page of the signed-in dashboard (`app/(dashboard)/**\/page.tsx`), as a URL path with its `[param]` segments. */
async function discoverPages(): Promise<string[]> {
  const found: string[] = [];
  const root = path.join(ROOT, "app", "(dashboard)");
  async function walk(dir: string): Promise<void> {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.name === "page.tsx") found.push(`/${path.relative(root, dir).split(path.sep).join("/")}`.replace(/\/$/, "") || "/");
    }
  }
  await walk(root);
  return found.map((page) => page.replace(/\/\([^)]+\)/g, "") || "/").sort();
}

/** Fills each `[id]` from the collection route above it; routes it cannot fill are skipped. */
async function resolveRoutes(base: URL, cookie: string, routes: string[]): Promise<{ targets: string[]; skipped: { route: string; reason: string }[] }> {
  const targets: string[] = [];
  const skipped: { route: string; reason: string }[] = [];
  const idCache = new Map<string, number | null>();
  for (const route of routes) {
    if (route.startsWith("/api/auth")) {
      skipped.push({ route, reason: "the sign-in library's own endpoints" });
      continue;
    }
    const segments = route.split("/");
    let filled = "";
    let failed: string | null = null;
    for (const segment of segments.slice(1)) {
      if (/^\[\.\.\..+\]$/.test(segment)) {
        failed = "catch-all segment";
        break;
      }
      if (/^\[.+\]$/.test(segment)) {
        if (!idCache.has(filled)) {
          const answer = await get(base, filled, cookie);
          idCache.set(filled, answer.status === 200 ? firstId(JSON.parse(answer.body)) : null);
        }
        const id = idCache.get(filled);
        if (id === null || id === undefined) {
          failed = `no id found at ${filled}`;
          break;
        }
        filled += `/${id}`;
      } else filled += `/${segment}`;
    }
    if (failed) skipped.push({ route, reason: failed });
    else targets.push(filled);
  }
  return { targets, skipped };
}

/**
 * A cluster's reachability explanation needs a matrix cell (`?from=&to=`): the first cluster whose
 * stored reachability has a pair of namespaces that connect, its busiest pair. Null when none has.
 */
async function reachabilityCell(base: URL, cookie: string): Promise<string | null> {
  const list = await get(base, "/api/clusters?pageSize=100", cookie);
  if (list.status !== 200) return null;
  for (const row of (JSON.parse(list.body) as { rows: { id: number }[] }).rows) {
    const answer = await get(base, `/api/clusters/${row.id}`, cookie);
    if (answer.status !== 200) continue;
    const view = (JSON.parse(answer.body) as { reachability: { namespaces: { name: string }[]; pairs: [number, number, number][] } | null }).reachability;
    const pair = view?.pairs.filter(([from, to]) => from !== to).sort((a, b) => b[2] - a[2])[0];
    if (view && pair) return `/api/clusters/${row.id}/reachability?from=${view.namespaces[pair[0]].name}&to=${view.namespaces[pair[1]].name}`;
  }
  return null;
}

async function measure(base: URL, cookie: string, target: string, runs: number): Promise<Figure[]> {
  for (let i = 0; i < WARMUP; i++) {
    const { status } = await get(base, target, cookie);
    // A failing route is reported as such; timing an error page would flatter it.
    if (status !== 200) return [{ name: `GET ${target} status`, value: status, unit: "http status", goal: "200", met: false }];
  }
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const { status, ms } = await get(base, target, cookie);
    if (status !== 200) return [{ name: `GET ${target} status`, value: status, unit: "http status", goal: "200", met: false }];
    times.push(ms);
  }
  times.sort((a, b) => a - b);
  const p95 = round1(percentile(times, 95));
  return [
    { name: `GET ${target} p50`, value: round1(percentile(times, 50)), unit: "ms", goal: null, met: null },
    { name: `GET ${target} p95`, value: p95, unit: "ms", goal: `< ${PAGE_GOAL_MS}`, met: p95 < PAGE_GOAL_MS },
  ];
}

async function runLighthouse(base: URL, cookie: string): Promise<Figure[]> {
  const bin = path.join(ROOT, "node_modules", "lighthouse", "cli", "index.js");
  const args = [
    bin,
    new URL("/", base).toString(),
    "--preset=desktop",
    "--only-categories=performance,accessibility",
    "--output=json",
    "--quiet",
    "--chrome-flags=--headless --no-sandbox --disable-gpu",
    `--extra-headers=${JSON.stringify({ Cookie: cookie })}`,
  ];
  const stdout = await new Promise<string>((resolve, reject) => {
    execFile(
      process.execPath,
      args,
      { env: { ...process.env, CHROME_PATH: process.env.CHROME_PATH ?? "/usr/bin/chromium" }, maxBuffer: 64 * 1024 * 1024, timeout: 180_000 },
      (error, out, err) => (error ? reject(new BenchError(`lighthouse failed: ${err.trim().split("\n").slice(-3).join(" ") || error.message}`)) : resolve(out)),
    );
  });
  const report = JSON.parse(stdout) as { finalDisplayedUrl: string; categories: Record<string, { score: number | null }>; audits: Record<string, { numericValue?: number }> };
  if (new URL(report.finalDisplayedUrl).pathname !== "/") throw new BenchError(`lighthouse ended on ${report.finalDisplayedUrl}, not the Overview (signed out?)`);
  const score = (category: keyof typeof LIGHTHOUSE_GOALS): Figure => {
    const value = report.categories[category]?.score;
    const scaled = value === null || value === undefined ? null : Math.round(value * 100);
    return { name: `lighthouse / ${category}`, value: scaled, unit: "score", goal: `>= ${LIGHTHOUSE_GOALS[category]}`, met: scaled !== null && scaled >= LIGHTHOUSE_GOALS[category] };
  };
  const metric = (audit: string, name: string): Figure => ({ name: `lighthouse / ${name}`, value: round1(report.audits[audit]?.numericValue ?? NaN), unit: "ms", goal: null, met: null });
  return [score("performance"), score("accessibility"), metric("first-contentful-paint", "FCP"), metric("largest-contentful-paint", "LCP"), metric("total-blocking-time", "TBT")];
}

async function main(): Promise<number> {
  const { base, runs, lighthouse } = parseArgs(process.argv.slice(2));
  const cookie = await signIn(base);

  // A page's `[id]` comes from the API collection of the same name (/clusters/[id] from /api/clusters).
  const pageRoutes = await discoverPages();
  const resolvedPages = await resolveRoutes(base, cookie, pageRoutes.map((page) => `/api${page === "/" ? "" : page}`));
  for (const { route, reason } of resolvedPages.skipped) process.stderr.write(`skipped page ${route.slice(4) || "/"}: ${reason}\n`);
  // Plus the heaviest trend view a page can ask for.
  const pages = [...resolvedPages.targets.map((target) => target.slice(4) || "/"), "/trends?range=365&by=owner"];
  const resolved = await resolveRoutes(base, cookie, await discoverApiRoutes());
  const { skipped } = resolved;
  // Routes that answer one chosen item need it in their query.
  const cell = resolved.targets.some((target) => target.endsWith("/reachability")) ? await reachabilityCell(base, cookie) : null;
  const targets = resolved.targets.flatMap((target) => {
    if (!target.endsWith("/reachability")) return [target];
    if (!cell) skipped.push({ route: target, reason: "no cluster with a reachability cell to explain" });
    return cell ? [cell] : [];
  });
  for (const { route, reason } of skipped) process.stderr.write(`skipped ${route}: ${reason}\n`);
  // The heaviest trend a page can ask for, besides each route's defaults.
  const apis = [...targets, "/api/kpis/trend?range=365&by=owner"];

  const figures: Figure[] = [];
  // The floor every figure sits on: a signed-in request that does no work of ours (Better Auth's
  // session endpoint: routing, cookie check, one session lookup). scripts/bench/bench.ts reads it as the
  // baseline of the page and API figures.
  for (const target of [SESSION_BASELINE, ...pages, ...apis]) {
    for (const figure of await measure(base, cookie, target, runs)) {
      figures.push(figure);
      emit(figure);
    }
  }
  if (lighthouse) {
    for (const figure of await runLighthouse(base, cookie)) {
      figures.push(figure);
      emit(figure);
    }
  }
  const missed = figures.filter((figure) => figure.met === false);
  process.stderr.write(missed.length === 0 ? `all ${figures.filter((f) => f.met !== null).length} goals met (${runs} loads each)\n` : `goals missed: ${missed.map((f) => f.name).join(", ")}\n`);
  return missed.length === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`bench-dashboard: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  },
);
