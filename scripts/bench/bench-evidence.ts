// Benchmark for the Compliance page and the evidence pack (docs/compliance.md, issue 19), on the store
// the environment names (DATABASE_URL, or the embedded one in BULKHEAD_DATA_DIR; fill it first with
// `bulkhead demo [--clusters N]`). For a day in the middle of the history and the last day it times
// the page's two queries (the requirements with their clusters; the daily trend over 90 and 365 days)
// and the pack, three times each, and prints one JSON line per figure (median ms, pack bytes), and
// whether the pack's bytes were the same every time.
//
//   BULKHEAD_DATA_DIR=.bulkhead npm run bench:evidence [-- --framework pci-dss]

import { createHash } from "node:crypto";
import { performance } from "node:perf_hooks";
import { DAY_MS, getHistoryBounds } from "../../lib/compliance/as-of";
import { buildEvidencePack } from "../../lib/compliance/evidence-pack/build-evidence-pack";
import { getComplianceTrend } from "../../lib/compliance/get-compliance-trend";
import { getComplianceView } from "../../lib/compliance/get-compliance-view";
import { openDatabase } from "../../lib/db/client";

const REPETITIONS = 3;
const framework = process.argv.includes("--framework") ? (process.argv[process.argv.indexOf("--framework") + 1] as string) : "pci-dss";

function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
}

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }[]> {
  const runs: { ms: number; value: T }[] = [];
  for (let run = 0; run < REPETITIONS; run += 1) {
    const started = performance.now();
    const value = await work();
    runs.push({ ms: performance.now() - started, value });
  }
  return runs;
}

const db = await openDatabase();
try {
  const history = await getHistoryBounds(db);
  const { rows } = await db.pool.query<{ last: Date | null }>(`SELECT max(captured_at) AS last FROM collection_runs WHERE status <> 'running'`);
  const lastRun = rows[0]?.last;
  if (!history.firstDay || !lastRun) throw new Error("the store holds no history: run `bulkhead demo` first");
  const lastDay = lastRun.toISOString().slice(0, 10);
  const middle = new Date((Date.parse(history.firstDay) + Date.parse(lastDay)) / 2).toISOString().slice(0, 10);
  const lastFullDay = new Date(Date.parse(lastDay) - DAY_MS).toISOString().slice(0, 10);
  for (const day of [middle, lastFullDay]) {
    const view = await timed(() => getComplianceView(db, { framework, day, scope: {} }));
    const clusters = view[0]?.value.totals.clusters ?? 0;
    const print = (figure: string, runs: { ms: number }[], extra: Record<string, unknown> = {}) =>
      console.log(JSON.stringify({ bench: "evidence", figure, framework, day, clusters, medianMs: Math.round(median(runs.map((run) => run.ms))), ...extra }));
    print("page: requirements with their clusters", view);
    for (const days of [90, 365]) print(`page: trend over ${days} days`, await timed(() => getComplianceTrend(db, { framework, day, days, scope: {} })));
    const packs = await timed(() => buildEvidencePack(db, { framework, day, scope: {} }));
    const digests = new Set(packs.map((run) => createHash("sha256").update(run.value.zip).digest("hex")));
    print("evidence pack", packs, {
      zipBytes: packs[0]?.value.zip.byteLength,
      files: Object.fromEntries((packs[0]?.value.files ?? []).map((file) => [file.name, file.bytes])),
      sameBytesEveryTime: digests.size === 1,
    });
  }
} finally {
  await db.close();
}
