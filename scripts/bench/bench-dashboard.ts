// Benchmark of the dashboard against a running server: server response time of every page and API
// route (p50/p95 over N sequential loads, the whole body), each p95 against its goal
// (scripts/bench/goals.ts). What a person waits for in a browser is measured by bench-pages.ts, and
// Lighthouse by bench-lighthouse.ts.
//
// Start a server on the demo estate at its default size (150 clusters, 180 days), then run this:
//
//   npm run build
//   BULKHEAD_DATA_DIR=.bulkhead-bench node bin/bulkhead.mjs serve --demo --port 3100   # fills an empty store first (~30 s)
//   node --import ./bin/register.mjs scripts/bench/bench-dashboard.ts [URL] [--runs N]
//
// URL defaults to http://127.0.0.1:3100 and must be loopback. It signs in with the demo's admin
// account (`serve --demo` creates it; another account via BENCH_EMAIL and BENCH_PASSWORD).
// Prints one JSON line per figure: {"name","value","unit","goal","met","load"} (load: the machine's
// 1/5/15-minute load averages when the figure was taken). Exit status: 0 every goal
// met, 1 a goal missed, 2 the benchmark could not run.

import { describeGoal, meets, responseGoalOf } from "./goals";
import { BenchError, loopbackUrl, machineLoad, percentile, signIn } from "./bench-server";
import { dashboardPages, discoverApiRoutes, get, reachabilityCell, resolveRoutes } from "./dashboard-targets";

const MAX_RUNS = 1_000;
const WARMUP = 2;
const SESSION_BASELINE = "/api/auth/get-session";

interface Figure {
  name: string;
  value: number | null;
  unit: string;
  goal: string | null;
  met: boolean | null;
  load?: string;
}

function parseArgs(argv: string[]): { base: URL; runs: number } {
  let url = "http://127.0.0.1:3100";
  let runs = Number(process.env.BENCH_RUNS ?? 30);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--runs") runs = Number(argv[++i]);
    else if (arg.startsWith("--runs=")) runs = Number(arg.slice("--runs=".length));
    else if (arg.startsWith("-")) throw new BenchError(`unknown option ${arg}`);
    else url = arg;
  }
  if (!Number.isInteger(runs) || runs < 1 || runs > MAX_RUNS) throw new BenchError(`--runs must be a whole number from 1 to ${MAX_RUNS}`);
  return { base: loopbackUrl(url), runs };
}

function emit(figure: Figure): void {
  process.stdout.write(`${JSON.stringify({ ...figure, load: machineLoad() })}\n`);
}

const round1 = (value: number) => Math.round(value * 10) / 10;

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
  const p95 = round1(percentile(times, 95));
  const goal = responseGoalOf(target);
  return [
    { name: `GET ${target} p50`, value: round1(percentile(times, 50)), unit: "ms", goal: null, met: null },
    { name: `GET ${target} p95`, value: p95, unit: "ms", goal: describeGoal(goal), met: meets(p95, goal) },
  ];
}

async function main(): Promise<number> {
  const { base, runs } = parseArgs(process.argv.slice(2));
  const cookie = (await signIn(base)).header;

  const resolvedPages = await dashboardPages(base, cookie);
  for (const { route, reason } of resolvedPages.skipped) process.stderr.write(`skipped page ${route}: ${reason}\n`);
  // Plus the heaviest trend view a page can ask for.
  const pages = [...resolvedPages.targets, "/trends?range=365&by=owner"];
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
