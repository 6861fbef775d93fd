// Lighthouse (desktop preset, performance) on every dashboard page, signed in: the median of 5 runs
// per page, each a cold load (Lighthouse clears the browser's cache and storage before each), in a
// headless Chromium started with the end-to-end tests' flags, nothing leaving the machine. Prints one
// JSON line per page: {"name","value" (median score),"unit","lcp","tbt","cls","fcp","scores","goal","met","load"}
// (each metric the median of its runs, in ms; CLS unitless).
//
//   npm run bench:lighthouse -- [--data-dir .bulkhead-demo] [--port 3520] [--url URL]
//                               [--pages /,/trends] [--runs 5] [--estate demo|scale]
//
// --url measures a server that is already running; otherwise one is started on --data-dir (an empty
// store is filled with the demo estate first). The goal is the demo estate's unless --estate scale
// (the 10,000-cluster store), or unless the store holds more than 1,000 clusters. Needs `npm run
// build`. Exit status: 0 every goal met, 1 a goal missed, 2 the benchmark could not run.
import { parseArgs } from "node:util";
import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";
import desktopConfig from "lighthouse/core/config/desktop-config.js";
import { BenchError, loopbackUrl, machineLoad, runWhenMain, signIn, startBenchServer, type Session } from "./bench-server";
import { CHROMIUM_ARGS } from "./bench-pages";
import { dashboardPages, get } from "./dashboard-targets";
import { describeGoal, GOALS, meets, type Goal } from "./goals";

const CHROMIUM = process.env.CHROME_PATH ?? process.env.BULKHEAD_CHROMIUM ?? "/usr/bin/chromium";
/** Above this many clusters the store is judged against the 10,000-cluster goal. */
const SCALE_CLUSTERS = 1_000;

interface RunResult {
  score: number;
  lcp: number;
  tbt: number;
  cls: number;
  fcp: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** One Lighthouse run of `url` with the session's cookie on every request. */
async function runOnce(port: number, url: string, session: Session): Promise<RunResult> {
  const result = await lighthouse(url, { port, output: "json", logLevel: "error", onlyCategories: ["performance"], extraHeaders: { Cookie: session.header } }, desktopConfig);
  if (!result) throw new BenchError(`lighthouse returned nothing for ${url}`);
  const { lhr } = result;
  if (lhr.runtimeError) throw new LighthouseRunError(`lighthouse on ${url}: ${lhr.runtimeError.code} ${lhr.runtimeError.message}`);
  // Signed out, a page redirects to the sign-in page; scoring that would flatter the page.
  if (new URL(lhr.finalDisplayedUrl).pathname !== new URL(url).pathname) throw new BenchError(`lighthouse ended on ${lhr.finalDisplayedUrl}, not ${url} (signed out?)`);
  const score = lhr.categories.performance?.score;
  if (score === null || score === undefined) throw new BenchError(`lighthouse gave ${url} no performance score`);
  const numeric = (audit: string) => lhr.audits[audit]?.numericValue ?? Number.NaN;
  return {
    score: Math.round(score * 100),
    lcp: numeric("largest-contentful-paint"),
    tbt: numeric("total-blocking-time"),
    cls: numeric("cumulative-layout-shift"),
    fcp: numeric("first-contentful-paint"),
  };
}

class LighthouseRunError extends BenchError {}

/** A run Lighthouse could not record (a trace without its navigation start, now and then) is run again, twice at most. */
async function withRetries(run: () => Promise<RunResult>): Promise<RunResult> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      if (!(error instanceof LighthouseRunError) || attempt === 3) throw error;
      process.stderr.write(`bench-lighthouse: ${error.message}; running it again\n`);
    }
  }
}

/** Whether the store is the 10,000-cluster one: its cluster count, from the API. */
async function estateOf(base: URL, session: Session): Promise<"demo" | "scale"> {
  const answer = await get(base, "/api/filters", session.header);
  if (answer.status !== 200) return "demo";
  const { subscriptions } = JSON.parse(answer.body) as { subscriptions: { clusters: number }[] };
  const clusters = subscriptions.reduce((sum, item) => sum + item.clusters, 0);
  return clusters > SCALE_CLUSTERS ? "scale" : "demo";
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      "data-dir": { type: "string", default: ".bulkhead-demo" },
      port: { type: "string", default: "3520" },
      url: { type: "string" },
      pages: { type: "string" },
      runs: { type: "string", default: "5" },
      estate: { type: "string" },
    },
  });
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1 || runs > 25) throw new BenchError("--runs must be a whole number from 1 to 25");
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) throw new BenchError("--port must be a port number");
  if (values.estate !== undefined && values.estate !== "demo" && values.estate !== "scale") throw new BenchError("--estate must be demo or scale");

  const server = values.url ? null : await startBenchServer({ dataDir: values["data-dir"], port });
  const base = server?.base ?? loopbackUrl(values.url!);
  const chrome = await chromeLauncher.launch({ chromePath: CHROMIUM, chromeFlags: ["--headless=new", ...CHROMIUM_ARGS] });
  try {
    const session = await signIn(base);
    const estate = (values.estate as "demo" | "scale" | undefined) ?? (await estateOf(base, session));
    const goal: Goal = GOALS.lighthousePerformance[estate];
    let targets: string[];
    if (values.pages) targets = values.pages.split(",").map((item) => item.trim()).filter(Boolean);
    else {
      const found = await dashboardPages(base, session.header);
      for (const { route, reason } of found.skipped) process.stderr.write(`bench-lighthouse: skipped ${route}: ${reason}\n`);
      targets = found.targets;
    }
    let missed = 0;
    for (const target of targets) {
      const url = new URL(target, base).toString();
      // The server's first answer of a route (its code loaded, its caches cold) is not what Lighthouse should judge.
      await get(base, target, session.header);
      const results: RunResult[] = [];
      for (let run = 0; run < runs; run++) results.push(await withRetries(() => runOnce(chrome.port, url, session)));
      const score = median(results.map((result) => result.score));
      const met = meets(score, goal);
      if (met === false) missed++;
      const round = (value: number, digits = 0) => Math.round(value * 10 ** digits) / 10 ** digits;
      const figure = {
        name: `lighthouse performance ${target} (median of ${runs})`,
        value: score,
        unit: "score",
        lcp: round(median(results.map((result) => result.lcp))),
        tbt: round(median(results.map((result) => result.tbt))),
        cls: round(median(results.map((result) => result.cls)), 3),
        fcp: round(median(results.map((result) => result.fcp))),
        scores: results.map((result) => result.score),
        estate,
        goal: describeGoal(goal),
        met,
        load: machineLoad(),
      };
      process.stdout.write(`${JSON.stringify(figure)}\n`);
    }
    return missed === 0 ? 0 : 1;
  } finally {
    chrome.kill();
    await server?.stop();
  }
}

runWhenMain(import.meta.url, "bench-lighthouse", main);
