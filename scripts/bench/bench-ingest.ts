// The ingest figures of the scale benchmark alone (scripts/bench/measure-ingest.ts), on a store that
// `npm run bench` built: a new day, the same day with every cluster document changed, and a run with
// no change. Much quicker than the whole bench when only the write path changed.
//
//   node --import ./bin/register.mjs scripts/bench/bench-ingest.ts --data-dir .bulkhead-bench-2k --clusters 2000 --days 365 [--reps 3] [--statements]
//
// --clusters and --days must be those the store was built with; the new day is the generator's day
// after the stored history (so a build stopped part way is measured at the day it reached). --statements also prints, for the last timed run of each kind, the time of every
// statement of the write transaction (summed by statement), slowest first: where the write time goes.
import path from "node:path";
import { parseArgs } from "node:util";
import { openDatabase } from "@/lib/db/client";
import { createDemoEstate } from "@/lib/sources/demo";
import { GOALS } from "./goals";
import { measureIngest } from "./measure-ingest";

const { values: args } = parseArgs({
  options: {
    clusters: { type: "string", default: "10000" },
    days: { type: "string", default: "365" },
    reps: { type: "string", default: "3" },
    "data-dir": { type: "string", default: ".bulkhead-bench" },
    statements: { type: "boolean", default: false },
  },
});
const clusters = Number(args.clusters);
const days = Number(args.days);
const reps = Number(args.reps);
for (const [name, value] of [["clusters", clusters], ["days", days], ["reps", reps]] as const) {
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a whole number`);
}
process.env.BULKHEAD_DATA_DIR = path.resolve(args["data-dir"]);
delete process.env.DATABASE_URL;
const log = (line: string) => process.stderr.write(`bench-ingest: ${line}\n`);
const emit = (figure: object) => process.stdout.write(`${JSON.stringify(figure)}\n`);

const runs = [...createDemoEstate({ clusters, days, seed: 42 }).runs()];
// Opening applies this version's migrations to the store (an upgrade is measured as it would run).
const db = await openDatabase();
let day: (typeof runs)[number];
try {
  const { rows } = await db.pool.query<{ latest: Date | null; runs: string }>("SELECT max(captured_at) AS latest, count(*) AS runs FROM collection_runs WHERE status = 'completed'");
  const recorded = Number(rows[0].runs);
  if (recorded < 1 || recorded >= days) throw new Error(`the store holds ${recorded} runs: build it with npm run bench first, and pass the --clusters and --days it was built with`);
  day = runs[recorded];
  // A store built with other options (or written into) holds other days.
  if (rows[0].latest!.getTime() !== runs[recorded - 1].capturedAt.getTime()) throw new Error("the store's latest run is not the generator's day before the new one: pass the --clusters and --days it was built with");
  log(`store: ${recorded} runs of ${clusters} clusters; the new day is ${day.capturedAt.toISOString()}`);
} finally {
  await db.prisma.$disconnect();
  await db.pool.end();
}
try {
  const common = { storeUrl: db.embedded!.url, day, reps, goalRatio: GOALS.ingestRatio.limit, traceStatements: args.statements, log, emit };
  await measureIngest(common);
  await measureIngest({ ...common, everyDocumentChanged: true, goalMs: clusters >= 10_000 ? GOALS.everyDocumentChanged.limit : undefined });
} finally {
  await db.embedded?.stop();
}
