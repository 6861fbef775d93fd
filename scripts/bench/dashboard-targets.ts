// The dashboard's pages and API routes as a benchmark visits them: found in app/ (every page.tsx and
// every route.ts that answers GET), each `[id]` filled with an id the API lists.
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { REQUEST_TIMEOUT_MS, ROOT } from "./bench-server";

export async function get(base: URL, target: string, cookie: string): Promise<{ status: number; ms: number; body: string }> {
  const started = performance.now();
  const response = await fetch(new URL(target, base), { headers: { cookie }, redirect: "manual", signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  const body = await response.text();
  return { status: response.status, ms: performance.now() - started, body };
}

/** Every `app/api/**\/route.ts` that answers GET, as a URL path with its `[param]` segments. */
export async function discoverApiRoutes(): Promise<string[]> {
  const found: string[] = [];
  async function walk(dir: string): Promise<void> {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.name === "route.ts") {
        const source = await readFile(full, "utf8");
        if (!/export\s+(const|async\s+function|function)\s+GET\b/.test(source)) continue;
        const route = `/${path.relative(path.join(ROOT, "app"), path.dirname(full)).split(path.sep).join("/")}`;
        found.push(route.replace(/\/\([^)]+\)/g, ""));
      }
    }
  }
  await walk(path.join(ROOT, "app", "api"));
  return found.sort();
}

/** The first numeric `id` in a JSON answer (a list's first row), to fill `[id]` segments. */
function firstId(json: unknown): number | null {
  if (Array.isArray(json)) {
    for (const item of json) {
      const id = firstId(item);
      if (id !== null) return id;
    }
    return null;
  }
  if (json && typeof json === "object") {
    const record = json as Record<string, unknown>;
    if (typeof record.id === "number") return record.id;
    for (const value of Object.values(record)) {
      if (value && typeof value === "object") {
        const id = firstId(value);
        if (id !== null) return id;
      }
    }
  }
  return null;
}

/** Every page of the signed-in dashboard (`app/(dashboard)/**\/page.tsx`), as a URL path with its `[param]` segments. */
async function discoverPages(): Promise<string[]> {
  const found: string[] = [];
  const root = path.join(ROOT, "app", "(dashboard)");
  async function walk(dir: string): Promise<void> {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.name === "page.tsx") found.push(`/${path.relative(root, dir).split(path.sep).join("/")}`.replace(/\/$/, "") || "/");
    }
  }
  await walk(root);
  return found.map((page) => page.replace(/\/\([^)]+\)/g, "") || "/").sort();
}

/**
 * Query parameters a route refuses to answer without (its zod schema has no default for them), as
 * the page that calls it sends them: without these the benchmark would time a 400.
 */
const REQUIRED_QUERY: Record<string, string> = {
  "/api/compliance": "framework=pci-dss",
  "/api/compliance/trend": "framework=pci-dss",
  "/api/compliance/evidence": "framework=pci-dss&requirement=1.3.1&list=fail&limit=20",
  "/api/compliance/evidence-pack": "framework=pci-dss",
};

/** Fills each `[id]` from the collection route above it; routes it cannot fill are skipped. */
export async function resolveRoutes(base: URL, cookie: string, routes: string[]): Promise<{ targets: string[]; skipped: { route: string; reason: string }[] }> {
  const targets: string[] = [];
  const skipped: { route: string; reason: string }[] = [];
  const idCache = new Map<string, number | null>();
  for (const route of routes) {
    if (route.startsWith("/api/auth")) {
      skipped.push({ route, reason: "the sign-in library's own endpoints" });
      continue;
    }
    const segments = route.split("/");
    let filled = "";
    let failed: string | null = null;
    for (const segment of segments.slice(1)) {
      if (/^\[\.\.\..+\]$/.test(segment)) {
        failed = "catch-all segment";
        break;
      }
      if (/^\[.+\]$/.test(segment)) {
        if (!idCache.has(filled)) {
          const answer = await get(base, filled, cookie);
          idCache.set(filled, answer.status === 200 ? firstId(JSON.parse(answer.body)) : null);
        }
        const id = idCache.get(filled);
        if (id === null || id === undefined) {
          failed = `no id found at ${filled}`;
          break;
        }
        filled += `/${id}`;
      } else filled += `/${segment}`;
    }
    if (failed) skipped.push({ route, reason: failed });
    else targets.push(REQUIRED_QUERY[route] ? `${filled}?${REQUIRED_QUERY[route]}` : filled);
  }
  return { targets, skipped };
}

/**
 * A cluster's reachability explanation needs a matrix cell (`?from=&to=`): the first cluster whose
 * stored reachability has a pair of namespaces that connect, its busiest pair. Null when none has.
 */
export async function reachabilityCell(base: URL, cookie: string): Promise<string | null> {
  const list = await get(base, "/api/clusters?pageSize=100", cookie);
  if (list.status !== 200) return null;
  for (const row of (JSON.parse(list.body) as { rows: { id: number }[] }).rows) {
    const answer = await get(base, `/api/clusters/${row.id}`, cookie);
    if (answer.status !== 200) continue;
    const view = (JSON.parse(answer.body) as { reachability: { namespaces: { name: string }[]; pairs: [number, number, number][] } | null }).reachability;
    const pair = view?.pairs.filter(([from, to]) => from !== to).sort((a, b) => b[2] - a[2])[0];
    if (view && pair) return `/api/clusters/${row.id}/reachability?from=${view.namespaces[pair[0]].name}&to=${view.namespaces[pair[1]].name}`;
  }
  return null;
}

/** Every page of the signed-in dashboard with its `[id]` filled from the API collection of the same name (/clusters/[id] from /api/clusters). */
export async function dashboardPages(base: URL, cookie: string): Promise<{ targets: string[]; skipped: { route: string; reason: string }[] }> {
  const resolved = await resolveRoutes(base, cookie, (await discoverPages()).map((page) => `/api${page === "/" ? "" : page}`));
  return {
    targets: resolved.targets.map((target) => target.slice(4) || "/"),
    skipped: resolved.skipped.map(({ route, reason }) => ({ route: route.slice(4) || "/", reason })),
  };
}
