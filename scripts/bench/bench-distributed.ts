// Wall time of one demo day collected in-process vs by 1..N `bulkhead worker` processes, on fresh
// databases of the test server (TEST_DATABASE_URL, else the embedded one in .bulkhead-test/):
//   node --import ./bin/register.mjs scripts/bench/bench-distributed.ts [clusters] [latencyMs] [concurrency] [workers,...]
// Each measured run follows a day of history (so reads carry forward and findings resolve, as day to day).
import { readdirSync, readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { parseEnv } from "@/lib/env";
import { DEFAULT_POSTURE_CONFIG } from "@/lib/posture";
import { createDemoEstate } from "@/lib/sources/demo";
import { openSource } from "@/lib/sources/open-source";
import type { DemoSourceDescriptor } from "@/lib/sources/source-descriptor";
import { createTestDatabase, prepareTemplateDatabase, type TestDatabase } from "@/testing/test-database";
import { runCollection } from "@/lib/collector/run-collection";
import { startDistributedRun } from "@/lib/collector/distributed/start-distributed-run";
import { waitForDistributedRun } from "@/lib/collector/distributed/watch-distributed-run";
import { pollUntil, spawnWorkerProcess } from "@/testing/worker-processes";

const [clustersArg = "2000", latencyArg = "0", concurrencyArg = "8", workersArg = "1,3"] = process.argv.slice(2);
const clusters = Number(clustersArg);
const latencyMs = Number(latencyArg);
const concurrency = Number(concurrencyArg);
const workerCounts = workersArg.split(",").map(Number);
const ESTATE = { clusters, days: 12, seed: 11, endAt: "2026-03-01T02:00:00.000Z" };
const DAY = 3;
const config = DEFAULT_POSTURE_CONFIG;

const stopServer = await prepareTemplateDatabase();
const days = [...createDemoEstate({ ...ESTATE, endAt: new Date(ESTATE.endAt) }).runs()];
const target = days[DAY];
// The in-process run reads through the same simulated latency as the workers.
const descriptor: DemoSourceDescriptor = { kind: "demo", ...ESTATE, dayIndex: DAY, latencyMs };
const delayed = await openSource(descriptor, parseEnv());

async function withHistory(): Promise<TestDatabase> {
  const db = await createTestDatabase();
  const history = days[DAY - 1];
  await runCollection(db, { source: history.source, capturedAt: history.capturedAt, config, concurrency: 32 });
  return db;
}

/** CPU seconds (user + system) of a process and of its children that have been waited for. */
function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}
/** CPU seconds of the Postgres backends serving `database` (Linux only; backends that exited are not counted). */
function postgresCpuSeconds(database: string): number {
  let total = 0;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, "utf8");
      if (cmdline.startsWith("postgres:") && cmdline.includes(` ${database} `)) total += cpuSeconds(Number(entry));
    } catch {
      // gone
    }
  }
  return total;
}

const lines: string[] = [];
const report = (line: string) => {
  lines.push(line);
  console.log(line);
};

{
  const db = await withHistory();
  const started = performance.now();
  const cpu = process.cpuUsage();
  const pg0 = postgresCpuSeconds(new URL(db.url).pathname.slice(1));
  const result = await runCollection(db, { source: delayed, capturedAt: target.capturedAt, config, concurrency });
  const used = process.cpuUsage(cpu);
  report(
    `in-process (concurrency ${concurrency}): ${((performance.now() - started) / 1000).toFixed(2)} s, ${result.clustersSeen} clusters, ${result.faults.length} faults; ` +
      `CPU: collector ${((used.user + used.system) / 1e6).toFixed(1)} s, Postgres ${(postgresCpuSeconds(new URL(db.url).pathname.slice(1)) - pg0).toFixed(1)} s`,
  );
  await db.close();
}

for (const count of workerCounts) {
  const db = await withHistory();
  const workers = Array.from({ length: count }, () =>
    spawnWorkerProcess({ databaseUrl: db.url, args: ["--concurrency", String(concurrency), "--poll-interval", "250", "--maintenance-interval", "5"] }),
  );
  // Process start-up is not part of a run: workers are long-lived.
  await pollUntil("workers to be ready", () => workers.every((w) => /ready/.test(w.output())), { timeoutMs: 120_000, intervalMs: 50 });
  const workerCpu0 = workers.map((w) => cpuSeconds(w.pid));
  const pg0 = postgresCpuSeconds(new URL(db.url).pathname.slice(1));
  const started = performance.now();
  const run = await startDistributedRun(db, { source: descriptor, capturedAt: target.capturedAt, config, env: parseEnv({} as NodeJS.ProcessEnv) });
  if (run.status !== "running") throw new Error("the run did not start");
  let settledAt = 0;
  const result = await waitForDistributedRun(db, run.runId, {
    pollMs: 1000,
    onProgress: (p) => {
      if (p.writing && !settledAt) settledAt = performance.now();
    },
  });
  const total = (performance.now() - started) / 1000;
  const workerCpu = workers.reduce((sum, w, i) => sum + cpuSeconds(w.pid) - workerCpu0[i], 0);
  const pgCpu = postgresCpuSeconds(new URL(db.url).pathname.slice(1)) - pg0;
  await pollUntil("the finalizer's log line", () => workers.some((w) => /snapshots written in/.test(w.output())), { timeoutMs: 10_000 });
  const write = workers.map((w) => /snapshots written in ([\d.]+) s/.exec(w.output())?.[1]).find(Boolean);
  report(
    `${count} worker(s) × ${concurrency}: ${total.toFixed(2)} s (jobs done after ${settledAt ? ((settledAt - started) / 1000).toFixed(2) : "?"} s, write ${write} s), ` +
      `${result.clustersSeen} clusters, ${result.faults.length} faults; CPU: workers ${workerCpu.toFixed(1)} s, Postgres ${pgCpu.toFixed(1)} s`,
  );
  for (const w of workers) w.child.kill("SIGTERM");
  await Promise.all(workers.map((w) => w.exited));
  await db.close();
}
console.log(`\nclusters=${clusters} latencyMs=${latencyMs} concurrency=${concurrency} load=${loadavg().map((l) => l.toFixed(1)).join("/")}\n${lines.join("\n")}`);
await stopServer();
