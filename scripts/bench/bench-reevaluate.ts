// `bulkhead reevaluate` at scale (README "Scale", docs/reevaluate.md): a store of N clusters × D days
// recorded as rules version 1 left it (every run judged by the rules-1 evaluator the reevaluate tests
// use, testing/rules-one.ts, so every snapshot carries rules version 1 and its verdicts), then the
// re-evaluation under this version's rules, timed phase by phase. Prints one JSON line per figure:
//   {"name","value","unit","baseline","ratio","goal","met"}
// - the store: snapshots, clusters, distinct source document pairs (what is judged);
// - the re-evaluation: judging, writing snapshots, posture intervals, findings, clean-up and commit,
//   the wall time, and the peak resident memory of the process that ran it;
// - a re-evaluation killed (SIGKILL) part way through judging and started again: how much the second
//   start judged, its time, and whether it ends with the same counts as the uninterrupted one.
//
//   npm run bench:reevaluate -- [--clusters 10000] [--days 365] [--data-dir .bulkhead-bench-reevaluate]
//                               [--rebuild] [--kill-at 0.5] [--skip-resume] [--keep-copy NAME]
//
// --keep-copy keeps the last re-evaluated copy as database NAME on the same server (instead of dropping
// it): a rules-2 store of the same size, with lateral exposure, that the scale bench can start from.
//
// The rules-1 store is kept in --data-dir and reused (building 10,000 × 365 takes tens of minutes);
// every re-evaluation runs on a copy of it (CREATE DATABASE … TEMPLATE), so the store stays as rules
// version 1 left it for the next run. Loopback only.
import { fork, type ChildProcess } from "node:child_process";
import { rm } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import pg from "pg";
import type { ReevaluateProgress, ReevaluateResult } from "@/lib/collector/reevaluate/reevaluate";
import { openDatabase } from "@/lib/db/client";
import { RULES_VERSION } from "@/lib/posture";
import { judgeWithRulesOne } from "@/testing/rules-one";
import { buildDemoHistory } from "./build-history";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const COPY = "bench_reevaluate";

const { values: args } = parseArgs({
  options: {
    clusters: { type: "string", default: "10000" },
    days: { type: "string", default: "365" },
    "data-dir": { type: "string", default: ".bulkhead-bench-reevaluate" },
    rebuild: { type: "boolean", default: false },
    "kill-at": { type: "string", default: "0.5" },
    "skip-resume": { type: "boolean", default: false },
    "keep-copy": { type: "string" },
  },
});
const clusters = Number(args.clusters);
const days = Number(args.days);
const killAt = Number(args["kill-at"]);
for (const [name, value, max] of [["clusters", clusters, 100_000], ["days", days, 3_660]] as const) {
  if (!Number.isInteger(value) || value < 1 || value > max) throw new Error(`--${name} must be a whole number from 1 to ${max}`);
}
const keepCopy = args["keep-copy"];
if (keepCopy !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(keepCopy)) throw new Error("--keep-copy must be a database name of lower-case letters, digits and _");
if (!(killAt > 0 && killAt < 1)) throw new Error("--kill-at must be a fraction between 0 and 1 (of the documents judged before the kill)");
const dataDir = path.resolve(args["data-dir"]);
process.env.BULKHEAD_DATA_DIR = dataDir;
delete process.env.DATABASE_URL;

const log = (line: string) => process.stderr.write(`bench:reevaluate: ${line}\n`);
const round = (value: number) => Math.round(value * 10) / 10;
const seconds = (ms: number) => round(ms / 1000);

function emit(name: string, value: number, unit: string, extra: { baseline?: number; goal?: string; met?: boolean } = {}): void {
  const baseline = extra.baseline ?? null;
  const ratio = baseline ? Math.round((value / baseline) * 1000) / 1000 : null;
  process.stdout.write(`${JSON.stringify({ name, value, unit, baseline, ratio, goal: extra.goal ?? "", met: extra.met ?? null })}\n`);
}

/** A URL of the same server naming another database. */
function urlOf(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

if (args.rebuild) await rm(dataDir, { recursive: true, force: true });
const db = await openDatabase();
const storeUrl = db.embedded!.url;
const storeName = new URL(storeUrl).pathname.slice(1);
let store: { snapshots: number; clusters: number; pairs: number; rawDocuments: number; storeMb: number };
try {
  log(`estate: ${clusters} clusters × ${days} days in ${dataDir}, recorded under rules version 1`);
  // Every day but the last, as the scale bench records it: a store kept with --keep-copy then serves
  // `npm run bench`, whose new day (the last one) must not be in the store already.
  await buildDemoHistory(db, { clusters, days, record: days - 1, judge: judgeWithRulesOne, log });
  const { rows } = await db.pool.query<{ snapshots: number; clusters: number; pairs: number; raw_documents: number; bytes: string; newest_rules: number }>(
    `SELECT (SELECT count(*) FROM snapshots)::int AS snapshots, (SELECT count(*) FROM clusters)::int AS clusters,
            (SELECT count(*) FROM (SELECT DISTINCT cluster_doc_hash, in_cluster_doc_hash FROM snapshots) p)::int AS pairs,
            (SELECT count(*) FROM raw_documents)::int AS raw_documents, pg_database_size(current_database())::text AS bytes,
            (SELECT max(rules_version) FROM snapshots) AS newest_rules`,
  );
  const row = rows[0];
  if (row.newest_rules !== 1) throw new Error(`the store in ${dataDir} holds snapshots of rules version ${row.newest_rules}: run again with --rebuild`);
  store = { snapshots: row.snapshots, clusters: row.clusters, pairs: row.pairs, rawDocuments: row.raw_documents, storeMb: Number(row.bytes) / 1024 / 1024 };
} finally {
  // Closed so the store can be the template of its copies (no session may be connected to it);
  // the embedded server keeps running on this process's lease until the end.
  await db.prisma.$disconnect();
  await db.pool.end();
}
log(`store: ${store.snapshots} snapshots of ${store.clusters} clusters, ${store.pairs} distinct source document pairs, ${store.rawDocuments} raw documents, ${Math.round(store.storeMb)} MB`);
emit("store: snapshots (rules version 1)", store.snapshots, "snapshots");
emit("store: clusters", store.clusters, "clusters");
emit("store: distinct (cluster, in-cluster) document pairs", store.pairs, "pairs");
emit("store: size", Math.round(store.storeMb), "MB");

const admin = new pg.Client({ connectionString: urlOf(storeUrl, "postgres") });
await admin.connect();

/** A fresh copy of the rules-1 store (file copy: the fastest for a large template). */
async function copyStore(): Promise<string> {
  await admin.query(`DROP DATABASE IF EXISTS ${COPY} WITH (FORCE)`);
  const started = Date.now();
  for (let attempt = 1; ; attempt++) {
    try {
      await admin.query(`CREATE DATABASE ${COPY} TEMPLATE ${storeName} STRATEGY FILE_COPY`);
      break;
    } catch (error) {
      // Autovacuum may be visiting the template for a moment.
      if (attempt >= 10 || !/being accessed by other users/.test(String(error))) throw error;
      await new Promise((resolve) => setTimeout(resolve, 3_000));
    }
  }
  log(`copied the rules-1 store in ${seconds(Date.now() - started)} s`);
  return urlOf(storeUrl, COPY);
}

interface Timeline {
  events: { at: number; event: ReevaluateProgress }[];
  result: ReevaluateResult | null;
  maxRssMb: number | null;
  startedAt: number;
  exitedAt: number;
  killed: boolean;
}

/** One re-evaluation in a child process; `killWhen` decides from its progress when to SIGKILL it. */
function runChild(url: string, killWhen?: (event: ReevaluateProgress) => boolean): Promise<Timeline> {
  const timeline: Timeline = { events: [], result: null, maxRssMb: null, startedAt: Date.now(), exitedAt: 0, killed: false };
  const child: ChildProcess = fork(path.join(ROOT, "scripts/bench/reevaluate-child.ts"), {
    cwd: ROOT,
    execArgv: ["--import", "./bin/register.mjs"],
    env: { ...process.env, BENCH_REEVALUATE_URL: url },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  child.on("message", (message: { type: "progress"; at: number; event: ReevaluateProgress } | { type: "result"; at: number; result: ReevaluateResult; maxRssMb: number }) => {
    if (message.type === "result") {
      timeline.result = message.result;
      timeline.maxRssMb = message.maxRssMb;
      return;
    }
    timeline.events.push({ at: message.at, event: message.event });
    if (message.event.type === "judging") log(`judging: ${message.event.done}/${message.event.total}`);
    else if (message.event.type === "writing" && (message.event.step !== "findings" || message.event.done === 0)) log(`writing: ${message.event.step}`);
    if (!timeline.killed && killWhen?.(message.event)) {
      timeline.killed = true;
      child.kill("SIGKILL");
    }
  });
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code, signal) => {
      timeline.exitedAt = Date.now();
      if (timeline.killed && signal === "SIGKILL") resolve(timeline);
      else if (code === 0 && timeline.result) resolve(timeline);
      else reject(new Error(`the re-evaluation ended with ${signal ?? `exit code ${code}`}`));
    });
  });
}

/** When each phase began: judging at `started`, then each writing step; the end is the result. */
function phasesOf(timeline: Timeline): { name: string; ms: number }[] {
  const startOf = (test: (event: ReevaluateProgress) => boolean) => timeline.events.find((entry) => test(entry.event))?.at;
  const marks = [
    { name: "judging distinct documents", at: startOf((e) => e.type === "started") },
    { name: "writing snapshots' statuses", at: startOf((e) => e.type === "writing" && e.step === "snapshots") },
    { name: "rebuilding posture intervals", at: startOf((e) => e.type === "writing" && e.step === "intervals") },
    { name: "rebuilding findings", at: startOf((e) => e.type === "writing" && e.step === "findings") },
    { name: "clean-up and commit", at: startOf((e) => e.type === "writing" && e.step === "cleanup") },
    { name: "", at: timeline.exitedAt },
  ];
  return marks.slice(0, -1).map((mark, index) => ({ name: mark.name, ms: (marks[index + 1].at ?? 0) - (mark.at ?? 0) }));
}

const size = `${clusters} clusters × ${days} days`;
let finished = false;
try {
  const full = await runChild(await copyStore());
  const result = full.result!;
  emit(`reevaluate ${size}: wall time`, seconds(full.exitedAt - full.startedAt), "s");
  emit(`reevaluate ${size}: time in reevaluateStore`, seconds(result.durationMs), "s");
  for (const phase of phasesOf(full)) emit(`reevaluate ${size}: ${phase.name}`, seconds(phase.ms), "s");
  emit(`reevaluate ${size}: distinct document pairs judged`, result.documents, "pairs");
  const judgingMs = phasesOf(full)[0].ms;
  emit(`reevaluate ${size}: judging rate`, Math.round(result.documents / (judgingMs / 1000)), "pairs/s");
  emit(`reevaluate ${size}: snapshots whose judgement changed (rules version 1 → ${RULES_VERSION})`, result.snapshotsChanged, "snapshots", { baseline: store.snapshots });
  emit(`reevaluate ${size}: clusters changed`, result.clustersChanged, "clusters");
  emit(`reevaluate ${size}: posture intervals rebuilt`, result.intervals, "intervals");
  emit(`reevaluate ${size}: findings kept / moved / opened / closed`, result.findings.kept, `kept (moved ${result.findings.moved}, opened ${result.findings.opened}, closed ${result.findings.closed})`);
  emit(`reevaluate ${size}: peak resident memory of the process`, round(full.maxRssMb!), "MB");
  if (result.documentsFailed > 0) log(`${result.documentsFailed} document pairs did not parse (kept their earlier judgement)`);

  if (!args["skip-resume"]) {
    const url = await copyStore();
    const killed = await runChild(url, (event) => event.type === "judging" && event.done >= killAt * event.total && event.done < event.total);
    if (!killed.killed) throw new Error("the re-evaluation finished before it could be killed");
    const judgedBeforeKill = killed.events.filter((entry) => entry.event.type === "judging").at(-1)!.event as Extract<ReevaluateProgress, { type: "judging" }>;
    log(`killed (SIGKILL) after ${judgedBeforeKill.done} of ${judgedBeforeKill.total} pairs, ${seconds(killed.exitedAt - killed.startedAt)} s in`);
    const resumed = await runChild(url);
    const again = resumed.result!;
    const same = again.snapshotsChanged === result.snapshotsChanged && again.intervals === result.intervals && JSON.stringify(again.findings) === JSON.stringify(result.findings);
    emit(`reevaluate ${size}, killed at ${Math.round(killAt * 100)} % of judging: pairs judged before the kill`, again.resumedFrom ?? 0, "pairs", { baseline: result.documents });
    emit(`reevaluate ${size}, started again after the kill: wall time`, seconds(resumed.exitedAt - resumed.startedAt), "s", { baseline: seconds(full.exitedAt - full.startedAt) });
    emit(`reevaluate ${size}, started again after the kill: judging`, seconds(phasesOf(resumed)[0].ms), "s", { baseline: seconds(judgingMs) });
    emit(`reevaluate ${size}, started again after the kill: same snapshots, intervals and findings as without the kill`, same ? 1 : 0, "boolean", { goal: "1", met: same });
  }
  finished = true;
} finally {
  if (finished && keepCopy !== undefined) {
    await admin.query(`DROP DATABASE IF EXISTS ${keepCopy} WITH (FORCE)`);
    await admin.query(`ALTER DATABASE ${COPY} RENAME TO ${keepCopy}`);
    log(`kept the re-evaluated copy as database ${keepCopy}`);
  }
  await admin.query(`DROP DATABASE IF EXISTS ${COPY} WITH (FORCE)`).catch(() => {});
  await admin.end();
  await db.embedded?.stop();
}
