// What a person waits for: each dashboard page loaded in Chromium (Playwright), signed in, timed from
// the start of the navigation until every widget shows its data — the document hydrated, no
// skeleton left (components/ui/skeleton.tsx marks each with data-skeleton) and nothing aria-busy —
// not until the HTML shell arrives. Measured with 1, 4, 8 and 20 users loading at once, each user
// loading again as soon as the page is complete (no think time): by default one of them in Chromium,
// timed, and the others replaying the requests a load makes (document and data) over HTTP, so that
// on a 2-core machine twenty renderers do not stand in for the server (--browsers all: every user a
// Chromium page). A load counts as an error when the page does not answer 200, is not complete
// within 30 s, or shows an error state; another user's request that does not answer 200 too.
//
//   npm run bench:pages -- [--data-dir .bulkhead-bench] [--port 3510] [--url URL]
//                          [--pages /,/trends] [--users 1,4,8,20] [--samples 30] [--browsers one|all]
//
// --url measures a server that is already running; otherwise one is started on --data-dir (an empty
// store is filled with the demo estate first). Needs `npm run build`. One JSON line per page and
// number of users: {"name","value" (p95),"unit","p50","p99","samples","errors","browsers","goal","met","load"}.
// Exit status: 0 every goal met, 1 a goal missed, 2 the benchmark could not run.
import { parseArgs } from "node:util";
import { chromium, type Browser, type BrowserContext, type Page, type Request } from "@playwright/test";
import { BenchError, loopbackUrl, machineLoad, percentile, runWhenMain, signIn, startBenchServer, type Session } from "./bench-server";
import { dashboardPages } from "./dashboard-targets";
import { describeGoal, GOALS, meets } from "./goals";

const LOAD_TIMEOUT_MS = 30_000;
const CHROMIUM = process.env.BULKHEAD_CHROMIUM ?? "/usr/bin/chromium";
// As the end-to-end tests run it (playwright.config.ts): nothing reaches out of the machine.
export const CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run"];

declare global {
  interface Window {
    __bulkheadContentComplete?: number;
  }
}

/**
 * What a page shows while a widget's data is on its way: a skeleton (marked data-skeleton; builds
 * from before that mark show one as a pulsing status box), or a region that says it is busy.
 */
const SKELETONS = "[data-skeleton], [role='status'].animate-pulse, [aria-busy='true']";

/**
 * Runs in every document before its own scripts: records the moment (ms since the navigation
 * started) the page first shows all its content, checked on every change to the document. A string,
 * not a function: the TypeScript loader would wrap a function's inner functions in helpers the page
 * does not have.
 */
const WATCH_CONTENT_COMPLETE = `(() => {
  const SKELETONS = ${JSON.stringify(SKELETONS)};
  const complete = () => document.documentElement?.dataset.hydrated === "true" && document.querySelector(SKELETONS) === null;
  const observer = new MutationObserver(() => {
    if (window.__bulkheadContentComplete !== undefined || !complete()) return;
    window.__bulkheadContentComplete = performance.now();
    observer.disconnect();
  });
  observer.observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ["data-hydrated", "aria-busy", "data-skeleton"] });
})();`;

interface Load {
  ms: number | null;
  error: string | null;
}

/** One load of `url` in `page`: the time until its content is complete, or why it failed. */
async function loadOnce(page: Page, url: string): Promise<Load> {
  try {
    const response = await page.goto(url, { waitUntil: "commit", timeout: LOAD_TIMEOUT_MS });
    if (!response || response.status() !== 200) return { ms: null, error: `HTTP ${response?.status() ?? "no response"}` };
    if (new URL(page.url()).pathname !== new URL(url).pathname) return { ms: null, error: `redirected to ${new URL(page.url()).pathname}` };
    await page.waitForFunction(() => window.__bulkheadContentComplete !== undefined, null, { timeout: LOAD_TIMEOUT_MS });
    const ms = await page.evaluate(() => window.__bulkheadContentComplete!);
    // An error state in place of a widget's data is not content.
    const failed = await page.locator("[role='alert']").filter({ hasText: /could not/i }).count();
    return failed > 0 ? { ms: null, error: "a widget shows an error" } : { ms, error: null };
  } catch (error) {
    return { ms: null, error: error instanceof Error ? error.message.split("\n")[0] : String(error) };
  }
}

async function signedInContext(browser: Browser, base: URL, session: Session): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.addCookies(session.cookies.map(({ name, value }) => ({ name, value, url: base.origin })));
  await context.addInitScript({ content: WATCH_CONTENT_COMPLETE });
  return context;
}

export interface PageLevel {
  page: string;
  users: number;
  times: number[];
  errors: string[];
}

/** A request a page load makes to our server, as Chromium sent it. */
interface RecordedRequest {
  target: string;
  headers: Record<string, string>;
}

/**
 * The requests a load of `url` makes to our server, seen in Chromium: the document, then its data
 * and the router's prefetches of the links in view (with the headers that make them what they are).
 */
async function recordRequests(page: Page, url: string): Promise<RecordedRequest[]> {
  const origin = new URL(url).origin;
  const seen: RecordedRequest[] = [];
  const listener = (request: Request) => {
    const target = new URL(request.url());
    if (target.origin === origin && request.method() === "GET" && !target.pathname.startsWith("/_next/static/") && ["document", "fetch", "xhr"].includes(request.resourceType())) {
      // The cookie is the session's; HTTP/2 pseudo-headers are not headers to send.
      const headers = Object.fromEntries(Object.entries(request.headers()).filter(([name]) => name !== "cookie" && !name.startsWith(":")));
      seen.push({ target: `${target.pathname}${target.search}`, headers });
    }
  };
  page.on("request", listener);
  await loadOnce(page, url);
  page.off("request", listener);
  return seen;
}

async function replay(base: URL, session: Session, request: RecordedRequest): Promise<number> {
  const response = await fetch(new URL(request.target, base), { headers: { ...request.headers, cookie: session.header }, redirect: "manual", signal: AbortSignal.timeout(LOAD_TIMEOUT_MS) });
  await response.arrayBuffer();
  return response.status;
}

/** Another person, over HTTP: the document read to its end, then the page's other requests at once, again and again until `done`. */
async function replayUser(base: URL, session: Session, requests: RecordedRequest[], done: () => boolean, errors: string[]): Promise<void> {
  const [document, ...rest] = requests;
  while (!done()) {
    try {
      const first = await replay(base, session, document);
      const statuses = first === 200 ? await Promise.all(rest.map((request) => replay(base, session, request))) : [];
      [first, ...statuses].forEach((status, index) => {
        if (status !== 200) errors.push(`another user: HTTP ${status} for ${index === 0 ? document.target : rest[index - 1].target}`);
      });
    } catch (error) {
      errors.push(`another user: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

/**
 * `users` people on `target` at once, none waiting between loads, until `samples` loads are timed.
 * browsers "all": each person a Chromium page, every load timed. browsers "one": one person in
 * Chromium, timed; the others replay the same requests over HTTP (what the server serves them), so
 * that on a small machine the browsers' own work does not stand in for the server's. Each Chromium
 * page loads the page once first, untimed (a returning visitor's cache).
 */
async function measureLevel(browser: Browser, base: URL, session: Session, target: string, users: number, samples: number, browsers: "all" | "one"): Promise<PageLevel> {
  const contexts = await Promise.all(Array.from({ length: browsers === "all" ? users : 1 }, () => signedInContext(browser, base, session)));
  try {
    const pages = await Promise.all(contexts.map((context) => context.newPage()));
    const url = new URL(target, base).toString();
    const requests = await recordRequests(pages[0], url);
    await Promise.all(pages.slice(1).map((page) => loadOnce(page, url)));
    const times: number[] = [];
    const errors: string[] = [];
    let started = 0;
    let finished = false;
    const others = browsers === "one" && requests.length > 0 ? Array.from({ length: users - 1 }, () => replayUser(base, session, requests, () => finished, errors)) : [];
    await Promise.all(
      pages.map(async (page) => {
        while (started < samples) {
          started++;
          const load = await loadOnce(page, url);
          if (load.ms !== null) times.push(load.ms);
          else errors.push(load.error ?? "unknown");
        }
      }),
    );
    finished = true;
    await Promise.all(others);
    return { page: target, users, times, errors };
  } finally {
    await Promise.all(contexts.map((context) => context.close()));
  }
}

const round1 = (value: number) => Math.round(value * 10) / 10;

function report(level: PageLevel, browsers: "one" | "all"): boolean | null {
  const path = level.page.split("?")[0];
  const goal = GOALS.contentCompleteP95[path]?.[level.users];
  const p95 = level.times.length ? round1(percentile(level.times, 95)) : null;
  // Errors miss any goal: a fast error is not a fast page.
  const met = goal ? (level.errors.length > 0 ? false : meets(p95, goal)) : null;
  const figure = {
    name: `content complete ${level.page} at ${level.users} ${level.users === 1 ? "user" : "users"} p95`,
    value: p95,
    unit: "ms",
    p50: level.times.length ? round1(percentile(level.times, 50)) : null,
    p99: level.times.length ? round1(percentile(level.times, 99)) : null,
    samples: level.times.length,
    errors: level.errors.length,
    browsers,
    goal: goal ? describeGoal(goal) : null,
    met,
    load: machineLoad(),
  };
  process.stdout.write(`${JSON.stringify(figure)}\n`);
  if (level.errors.length) process.stderr.write(`bench-pages: ${level.page} at ${level.users} users: ${level.errors.length} errors, first: ${level.errors[0]}\n`);
  return met;
}

function parseList(name: string, value: string): string[] {
  const items = value.split(",").map((item) => item.trim()).filter(Boolean);
  if (items.length === 0) throw new BenchError(`--${name} is empty`);
  return items;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      "data-dir": { type: "string", default: ".bulkhead-bench" },
      port: { type: "string", default: "3510" },
      url: { type: "string" },
      pages: { type: "string" },
      users: { type: "string", default: "1,4,8,20" },
      samples: { type: "string", default: "30" },
      browsers: { type: "string", default: "one" },
    },
  });
  const users = parseList("users", values.users).map(Number);
  if (users.some((count) => !Number.isInteger(count) || count < 1 || count > 50)) throw new BenchError("--users must list whole numbers from 1 to 50");
  const samples = Number(values.samples);
  if (!Number.isInteger(samples) || samples < 1 || samples > 1_000) throw new BenchError("--samples must be a whole number from 1 to 1000");
  if (values.browsers !== "one" && values.browsers !== "all") throw new BenchError("--browsers must be one or all");
  const browsers = values.browsers;
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) throw new BenchError("--port must be a port number");

  const server = values.url ? null : await startBenchServer({ dataDir: values["data-dir"], port });
  const base = server?.base ?? loopbackUrl(values.url!);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    const session = await signIn(base);
    let targets: string[];
    if (values.pages) targets = parseList("pages", values.pages);
    else {
      const found = await dashboardPages(base, session.header);
      for (const { route, reason } of found.skipped) process.stderr.write(`bench-pages: skipped ${route}: ${reason}\n`);
      targets = found.targets;
    }
    let missed = 0;
    for (const target of targets) {
      for (const count of users) {
        if (report(await measureLevel(browser, base, session, target, count, samples, browsers), browsers) === false) missed++;
      }
    }
    return missed === 0 ? 0 : 1;
  } finally {
    await browser.close();
    await server?.stop();
  }
}

runWhenMain(import.meta.url, "bench-pages", main);
