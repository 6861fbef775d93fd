// The JavaScript each page loads before it is interactive (its first-load JS), from the production
// build in .next (or BULKHEAD_NEXT_DIST_DIR): Next.js's own per-route file lists (`next internal
// static-routes-info`, the build manifests), each file gzipped as a server sends it. Prints one JSON
// line per page, {"name","value","unit","raw","files","goal","met"}, the heaviest first, then the
// largest chunks with the pages that load them (what to cut first).
//
//   npm run build && npm run bench:bundle [-- --chunks 8]
//
// Exit status: 0 every goal met, 1 a goal missed, 2 the benchmark could not run (no build).
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { gzipSync } from "node:zlib";
import { ROOT, runWhenMain } from "./bench-server";
import { describeGoal, GOALS, meets } from "./goals";

interface RouteInfo {
  route: string;
  type: string;
  clientJs: { files: string[] };
}

export interface PageBundle {
  page: string;
  gzipBytes: number;
  rawBytes: number;
  files: string[];
}

const kb = (bytes: number) => Math.round((bytes / 1024) * 10) / 10;
const distDir = () => process.env.BULKHEAD_NEXT_DIST_DIR || ".next";

const sizes = new Map<string, { gzip: number; raw: number }>();
/** A build file's size as served gzipped (zlib's default level, as compression middleware uses) and raw. */
async function sizeOf(file: string): Promise<{ gzip: number; raw: number }> {
  let size = sizes.get(file);
  if (!size) {
    const bytes = await readFile(path.join(ROOT, distDir(), file));
    size = { gzip: gzipSync(bytes).length, raw: bytes.length };
    sizes.set(file, size);
  }
  return size;
}

/** Next's per-route file lists of the build in `distDir` (relative to the checkout). */
async function routeInfo(): Promise<RouteInfo[]> {
  const next = path.join(ROOT, "node_modules", "next", "dist", "bin", "next");
  const stdout = await new Promise<string>((resolve, reject) => {
    execFile(process.execPath, [next, "internal", "static-routes-info", "--json", "--files"], { cwd: ROOT, env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" }, maxBuffer: 64 * 1024 * 1024 }, (error, out, err) =>
      error ? reject(new Error(`next internal static-routes-info failed (is there a build in ${distDir()}? run npm run build): ${err.trim().split("\n").slice(-2).join(" ") || error.message}`)) : resolve(out),
    );
  });
  return (JSON.parse(stdout) as { routes: RouteInfo[] }).routes;
}

/** Every page's first-load JS (gzip and raw), the heaviest first. */
export async function measurePageBundles(): Promise<PageBundle[]> {
  const pages: PageBundle[] = [];
  for (const route of await routeInfo()) {
    if (route.type !== "app-page" || route.route === "/_not-found") continue;
    let gzipBytes = 0;
    let rawBytes = 0;
    for (const file of route.clientJs.files) {
      const size = await sizeOf(file);
      gzipBytes += size.gzip;
      rawBytes += size.raw;
    }
    pages.push({ page: route.route, gzipBytes, rawBytes, files: route.clientJs.files });
  }
  return pages.sort((a, b) => b.gzipBytes - a.gzipBytes);
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { chunks: { type: "string", default: "8" } } });
  const chunkCount = Number(values.chunks);
  if (!Number.isInteger(chunkCount) || chunkCount < 0 || chunkCount > 100) throw new Error("--chunks must be a whole number from 0 to 100");
  const pages = await measurePageBundles();
  let missed = 0;
  for (const page of pages) {
    const goal = GOALS.firstLoadJs;
    const met = meets(kb(page.gzipBytes), goal);
    if (met === false) missed++;
    const figure = { name: `first-load JS ${page.page}`, value: kb(page.gzipBytes), unit: "KB gzip", raw: kb(page.rawBytes), files: page.files.length, goal: describeGoal(goal), met };
    process.stdout.write(`${JSON.stringify(figure)}\n`);
  }
  // The largest chunks and who loads them: a chunk every page loads is the framework's or the shell's.
  const loadedBy = new Map<string, string[]>();
  for (const page of pages) for (const file of page.files) loadedBy.set(file, [...(loadedBy.get(file) ?? []), page.page]);
  const chunks = await Promise.all([...loadedBy.keys()].map(async (file) => ({ file, ...(await sizeOf(file)) })));
  for (const chunk of chunks.sort((a, b) => b.gzip - a.gzip).slice(0, chunkCount)) {
    const by = loadedBy.get(chunk.file)!;
    process.stderr.write(`chunk ${chunk.file}: ${kb(chunk.gzip)} KB gzip (${kb(chunk.raw)} KB), loaded by ${by.length === pages.length ? "every page" : by.join(" ")}\n`);
  }
  return missed === 0 ? 0 : 1;
}

runWhenMain(import.meta.url, "bench-bundle", main);
