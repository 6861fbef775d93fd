// Benchmark for the `bulkhead` CLI's start-up: the wall time of the real bin, spawned as a user (or a
// test) spawns it, for the commands that should cost little: `--help`, `analyze --help`, `analyze` of
// a handful of manifests (table and SARIF), `import` of a directory without clusters.json (bad input,
// exit 2, as most subprocess tests are) and, unless --no-store, `kpis --json` on a small demo store.
// Prints one JSON line per command and checkout: median, min and max ms over --runs spawns, the exit
// code and the load average around the measurement.
//
// Several --root checkouts are measured interleaved (run 1 of every root, then run 2, ...), so a
// before/after comparison shares the machine's load:
//
//   npm run bench:cli -- [--runs 7] [--no-store] [--root /path/to/other/checkout]...

import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";

import { findProjectRoot } from "../../lib/db/project-root";
import { createTestDatabase, prepareTemplateDatabase, type TestDatabase } from "../../testing/test-database";
import { describeGoal, GOALS, meets, type Goal } from "./goals";

const argv = process.argv.slice(2);
const valuesOf = (flag: string): string[] => argv.flatMap((value, index) => (argv[index - 1] === flag ? [value] : []));
const runs = Number(valuesOf("--runs")[0] ?? 7);
const withStore = !argv.includes("--no-store");
const roots = (valuesOf("--root").length > 0 ? valuesOf("--root") : [findProjectRoot()]).map((root) => path.resolve(root));

const here = findProjectRoot();
const manifests = path.join(here, "testing/fixtures/real-world/network-policy-recipes");
const emptyDirectory = mkdtempSync(path.join(tmpdir(), "bulkhead-bench-cli-"));

interface Figure {
  name: string;
  args: string[];
  needsStore?: boolean;
  goal?: Goal;
}

const FIGURES: Figure[] = [
  { name: "--help", args: ["--help"], goal: GOALS.cliHelpStartup },
  { name: "analyze --help", args: ["analyze", "--help"], goal: GOALS.cliHelpStartup },
  { name: "analyze (7 files, table)", args: ["analyze", manifests] },
  { name: "analyze (7 files, sarif)", args: ["analyze", manifests, "--format", "sarif"] },
  { name: "import (bad input, exit 2)", args: ["import", emptyDirectory, "--as-of", "2026-01-01T00:00:00Z"] },
  { name: "kpis --json (demo store, 20 clusters)", args: ["kpis", "--json"], needsStore: true },
];

function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
}

function spawnBin(root: string, args: string[], env: NodeJS.ProcessEnv): { ms: number; code: number | null; stderr: string } {
  const started = performance.now();
  const result = spawnSync(process.execPath, [path.join(root, "bin/bulkhead.mjs"), ...args], { cwd: root, env, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  return { ms: performance.now() - started, code: result.status, stderr: result.stderr };
}

let stopServer: (() => Promise<void>) | null = null;
let store: TestDatabase | null = null;
const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1" };
try {
  if (withStore) {
    stopServer = await prepareTemplateDatabase();
    store = await createTestDatabase();
    env.DATABASE_URL = store.url;
    const filled = spawnBin(here, ["demo", "--clusters", "20", "--days", "14"], env);
    if (filled.code !== 0) throw new Error(`bulkhead demo failed: ${filled.stderr}`);
  }
  const figures = FIGURES.filter((figure) => withStore || !figure.needsStore);
  const times = new Map<string, number[]>();
  const codes = new Map<string, Set<number | null>>();
  const loadBefore = loadavg()[0] as number;
  for (const figure of figures) {
    // One unmeasured spawn per root and command warms tsx's transform cache and the page cache.
    for (const root of roots) spawnBin(root, figure.args, env);
  }
  for (let run = 0; run < runs; run += 1) {
    for (const figure of figures) {
      for (const root of roots) {
        const key = `${figure.name}\0${root}`;
        const { ms, code } = spawnBin(root, figure.args, env);
        times.set(key, [...(times.get(key) ?? []), ms]);
        codes.set(key, (codes.get(key) ?? new Set()).add(code));
      }
    }
  }
  const loadAfter = loadavg()[0] as number;
  for (const figure of figures) {
    for (const root of roots) {
      const key = `${figure.name}\0${root}`;
      const values = times.get(key) ?? [];
      console.log(
        JSON.stringify({
          figure: figure.name,
          root,
          medianMs: Math.round(median(values)),
          minMs: Math.round(Math.min(...values)),
          maxMs: Math.round(Math.max(...values)),
          runs: values.length,
          exitCodes: [...(codes.get(key) ?? [])],
          ...(figure.goal ? { goal: describeGoal(figure.goal), met: meets(median(values), figure.goal) } : {}),
          load: [Number(loadBefore.toFixed(2)), Number(loadAfter.toFixed(2))],
        }),
      );
    }
  }
} finally {
  await store?.close();
  await stopServer?.();
  rmSync(emptyDirectory, { recursive: true, force: true });
}
