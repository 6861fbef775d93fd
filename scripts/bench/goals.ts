// Every performance goal of the benchmarks, stated once (issue 20). Each bench reads its goals from
// here and prints them beside its figures; a goal is never restated or overridden in a bench.
// Goals hold on this kind of machine (2 cores) at 10,000 clusters × 365 days unless a name says
// "demo" (the `serve --demo` estate, 150 clusters × 180 days).

/** How a figure compares with its goal: `value <= limit` for times and sizes, `value >= limit` for scores. */
export interface Goal {
  limit: number;
  direction: "at most" | "at least";
  unit: string;
}

const atMost = (limit: number, unit: string): Goal => ({ limit, direction: "at most", unit });
const atLeast = (limit: number, unit: string): Goal => ({ limit, direction: "at least", unit });

export const GOALS = {
  /** One run's write transaction against a raw COPY of what it writes (ratio). */
  ingestRatio: atMost(2, "×"),
  /** A 10,000-cluster day on which every cluster's document changed: its write transaction. */
  everyDocumentChanged: atMost(5_000, "ms"),
  /** The Findings list query (what /api/findings runs) at 45,000 findings, p95. */
  findingsListP95: atMost(150, "ms"),
  /** The Overview's data computed uncached (what /api/overview runs on a cache miss), p95. */
  overviewDataP95: atMost(150, "ms"),
  /** GET /api/overview with 20 concurrent users, p99 (no errors either). */
  concurrentOverviewP99: atMost(500, "ms"),
  /** The 365-day KPI trend query, p95. */
  trendP95: atMost(200, "ms"),
  /** The server's resident memory at its peak during the page benchmarks. */
  peakMemory: atMost(1024, "MB"),
  /** Server response (the whole body) of any page or API route, p95, one request at a time. */
  responseP95: atMost(500, "ms"),
  /** Routes with a goal of their own, tighter than `responseP95`. */
  routeResponseP95: {
    "/api/overview": atMost(150, "ms"),
    "/api/findings": atMost(150, "ms"),
    "/trends?range=365&by=owner": atMost(200, "ms"),
  } as Record<string, Goal>,
  /** JavaScript a page loads before it is interactive (gzip): every page, /trends the heaviest. */
  firstLoadJs: atMost(200, "KB"),
  /** `bulkhead --help` and `bulkhead analyze --help`: the bin spawned until it exits, median (npm run bench:cli). */
  cliHelpStartup: atMost(1_000, "ms"),
  /** Lighthouse performance score (median of 5 runs), every page. */
  lighthousePerformance: { demo: atLeast(95, "score"), scale: atLeast(90, "score") },
  /** A person's wait in Chromium until every widget of a page shows its data, p95, by concurrent users. */
  contentCompleteP95: { "/": { 1: atMost(500, "ms"), 20: atMost(1000, "ms") } } as Record<string, Record<number, Goal>>,
} as const;

/** Whether `value` meets `goal` (null when there is no value to judge). */
export function meets(value: number | null | undefined, goal: Goal): boolean | null {
  if (value === null || value === undefined || Number.isNaN(value)) return null;
  return goal.direction === "at most" ? value <= goal.limit : value >= goal.limit;
}

/** The goal as printed beside a figure: "<= 500 ms", ">= 95 score". */
export function describeGoal(goal: Goal): string {
  return `${goal.direction === "at most" ? "<=" : ">="} ${goal.limit}${goal.unit === "×" ? "" : ` ${goal.unit}`}`;
}

/** The response goal of a route: its own if it has one, else the common one. */
export function responseGoalOf(target: string): Goal {
  return GOALS.routeResponseP95[target] ?? GOALS.responseP95;
}
