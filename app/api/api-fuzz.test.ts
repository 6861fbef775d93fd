import { readdirSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { NextRequest } from "next/server";
import pLimit from "p-limit";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { z } from "zod";
import type { RouteInput } from "@/lib/auth/with-auth";
import { runCollection } from "@/lib/collector/run-collection";
import { DEFAULT_POSTURE_CONFIG } from "@/lib/posture";
import { signInAs } from "@/testing/auth-session";
import { at, makeCluster, makeInCluster, scriptedSource, SUB_A } from "@/testing/estate-builders";
import { httpRequest, serveRoutes } from "@/testing/route-server";
import { createTestDatabase, type TestDatabase } from "@/testing/test-database";

// Every API route, found on disk: a route added later is fuzzed without editing this file.
const API_DIR = fileURLToPath(new URL("./", import.meta.url));
const ROUTE_FILES = readdirSync(API_DIR, { recursive: true, encoding: "utf8" })
  .filter((file) => path.basename(file) === "route.ts")
  .sort();

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
type Method = (typeof METHODS)[number];
type Handler = ((request: NextRequest, context: { params: Promise<Record<string, string>> }) => Promise<Response>) & Partial<RouteInput>;

/** Values no declared parameter accepts: each must be a 4xx wherever it is sent. */
const NEVER_VALID: readonly unknown[] = ["nul\u0000byte", "x".repeat(5_000)];
/** Lone surrogates cannot travel in a URL (they arrive as U+FFFD); in JSON bodies and path params they can. */
const NEVER_VALID_OUTSIDE_URLS: readonly unknown[] = ["lone \ud800 surrogate", "lone \udfff low surrogate"];

/** Hostile values some parameter may legitimately accept (a search for "'; DROP …" is a search): never a 5xx. */
const HOSTILE: readonly unknown[] = [
  ...NEVER_VALID,
  ...NEVER_VALID_OUTSIDE_URLS,
  "",
  " ",
  "\r\n",
  "\t",
  "-1",
  "0",
  "2147483648",
  "9223372036854775808",
  "99999999999999999999999",
  "1e309",
  "NaN",
  "0x10",
  "0000-01-01",
  "9999-12-31",
  "0000-01-01T00:00:00Z",
  "9999-12-31T23:59:59Z",
  "2026-02-31T00:00:00Z",
  "'; DROP TABLE clusters; --",
  "<script>alert(1)</script>",
  "../../../../etc/passwd",
  "%00",
  "ü€😀",
  "\u202egnp.exe",
  "true",
  "null",
  "[]",
  "{}",
];

/** Values only a JSON body can carry. */
const HOSTILE_JSON: readonly unknown[] = [null, 0, -1, 2 ** 31, 2 ** 63, 1.5, true, [], {}, ["a"], { $gt: "" }, deepObject(200)];

function deepObject(depth: number): unknown {
  let value: unknown = "bottom";
  for (let level = 0; level < depth; level++) value = { a: value };
  return value;
}

let db: TestDatabase;
let cookie: string;
let findingId: number;

/** A valid value per parameter name, so each hostile value is tried with the rest of the input right. */
function validValue(name: string): unknown {
  const today = new Date();
  const inDays = (days: number) => new Date(today.getTime() + days * 86_400_000).toISOString().slice(0, 10);
  const samples: Record<string, unknown> = {
    id: String(findingId),
    ids: [findingId],
    assignee: "team-fuzz",
    dueAt: inDays(20),
    text: "fuzzing",
    reason: "fuzzing the API",
    expiresAt: inDays(30),
    email: "fuzz.user@example.com",
    role: "viewer",
    name: "Fuzz User",
    changes: [{ controlId: "NP-06", slaDays: 10 }],
  };
  return samples[name] ?? "x";
}

function safeEncode(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return "unencodable";
  }
}

function routePattern(file: string): string {
  return `/api/${path.dirname(file).split(path.sep).join("/")}`.replace(/\/\.$/, "");
}

function schemaKeys(schema: z.ZodType | undefined): string[] {
  const shape = (schema as unknown as { shape?: Record<string, unknown> } | undefined)?.shape;
  return shape ? Object.keys(shape) : [];
}

interface Probe {
  route: string;
  method: Method;
  handler: Handler;
  pathParams: string[];
  queryParams: string[];
  bodyFields: string[];
}

let probes: Probe[] = [];

async function call(probe: Probe, input: { query?: Record<string, unknown>; body?: Record<string, unknown>; params?: Record<string, unknown>; headers?: Record<string, string> }): Promise<{ status: number; text: string }> {
  const params = Object.fromEntries(probe.pathParams.map((name) => [name, String(input.params?.[name] ?? validValue(name))]));
  // The handler gets the decoded params; the URL only has to be one (a lone surrogate cannot be encoded).
  const url = new URL(`http://localhost:3000${probe.route.replace(/\[(\.\.\.)?(\w+)\]/g, (_, __, name: string) => safeEncode(params[name]))}`);
  for (const [name, value] of Object.entries(input.query ?? {})) url.searchParams.set(name, String(value));
  const hasBody = probe.method !== "GET" && probe.method !== "DELETE";
  const request = new NextRequest(url, {
    method: probe.method,
    headers: { origin: "http://localhost:3000", cookie, ...(hasBody ? { "content-type": "application/json" } : {}), ...input.headers },
    body: hasBody ? JSON.stringify(input.body ?? {}) : undefined,
  });
  const response = await probe.handler(request, { params: Promise.resolve(params) });
  return { status: response.status, text: await response.text() };
}

beforeAll(async () => {
  db = await createTestDatabase();
  process.env.DATABASE_URL = db.url;
  process.env.BULKHEAD_DATA_DIR = await mkdtemp(path.join(tmpdir(), "bulkhead-fuzz-"));
  // "Run collection now" re-reads the demo estate instead of reaching for Azure.
  process.env.BULKHEAD_DEMO_ACCOUNTS = "1";
  const source = scriptedSource(
    { [SUB_A]: [makeCluster({ name: "fuzz-a", networkPolicy: "none", owner: "payments", production: true }), makeCluster({ name: "fuzz-b", owner: "search" })] },
    { "fuzz-b": makeInCluster({ allowAnyIngress: true }) },
  );
  await runCollection(db, { source, capturedAt: at(new Date(Date.now() - 3 * 86_400_000).toISOString()), config: DEFAULT_POSTURE_CONFIG });
  findingId = (await db.prisma.finding.findFirstOrThrow()).id;
  cookie = await signInAs(db, "admin", "fuzz.admin@example.com");
  for (const file of ROUTE_FILES) {
    const route = routePattern(file);
    const routeModule = (await import(`./${file.split(path.sep).join("/")}`)) as Partial<Record<Method, Handler>>;
    for (const method of METHODS) {
      const handler = routeModule[method];
      if (!handler) continue;
      const keys = schemaKeys(handler.inputSchema);
      const pathParams = [...route.matchAll(/\[(?:\.\.\.)?(\w+)\]/g)].map((match) => match[1]);
      const named = keys.filter((key) => !pathParams.includes(key));
      probes.push({
        route,
        method,
        handler,
        pathParams,
        // Unknown names too: a parameter a route does not declare must not trip anything either.
        queryParams: handler.inputFrom === "body" ? [] : [...named, "unexpected"],
        bodyFields: handler.inputFrom === "body" ? [...named, "unexpected"] : [],
      });
    }
  }
  probes = probes.filter((probe) => !probe.route.startsWith("/api/auth/"));
});
afterAll(async () => {
  await db?.close();
});

describe("hostile values in every parameter of every API route", () => {
  test("the routes were found, with their parameters", () => {
    const names = probes.map((probe) => `${probe.method} ${probe.route}`);
    expect(names).toEqual(expect.arrayContaining(["GET /api/clusters", "GET /api/kpis/trend", "POST /api/findings/[id]/assign", "PUT /api/settings/sla", "POST /api/users"]));
    for (const probe of probes) expect(probe.handler.inputSchema, `${probe.method} ${probe.route} goes through withAuth`).toBeDefined();
    expect(probes.find((probe) => probe.route === "/api/clusters")!.queryParams).toEqual(expect.arrayContaining(["q", "page", "owner", "subscription"]));
  });

  test("never a 5xx; values no parameter accepts are a 4xx with the error shape", async () => {
    const failures: string[] = [];
    const limit = pLimit(4);
    let calls = 0;
    const check = async (probe: Probe, where: string, value: unknown, input: Parameters<typeof call>[1]) => {
      calls++;
      const { status, text } = await call(probe, input);
      const label = `${probe.method} ${probe.route} ${where}=${JSON.stringify(value)?.slice(0, 40)}`;
      if (status >= 500) failures.push(`${label}: ${status} ${text.slice(0, 120)}`);
      else if (mustRefuse(where, value) && (status < 400 || !/"error":\{"code":/.test(text))) failures.push(`${label}: expected a 4xx error, got ${status}`);
    };
    // A parameter no route declares is ignored; declared ones must refuse what none accepts.
    const mustRefuse = (where: string, value: unknown) =>
      !where.endsWith(":unexpected") && (NEVER_VALID.includes(value) || (!where.startsWith("query:") && NEVER_VALID_OUTSIDE_URLS.includes(value)));
    const jobs: Promise<void>[] = [];
    for (const probe of probes) {
      const baseBody = Object.fromEntries(probe.bodyFields.filter((field) => field !== "unexpected").map((field) => [field, validValue(field)]));
      for (const value of HOSTILE) {
        for (const name of probe.pathParams) jobs.push(limit(() => check(probe, `path:${name}`, value, { params: { [name]: value }, body: baseBody })));
        for (const name of probe.queryParams) jobs.push(limit(() => check(probe, `query:${name}`, value, { query: { [name]: value } })));
        for (const name of probe.bodyFields) jobs.push(limit(() => check(probe, `body:${name}`, value, { body: { ...baseBody, [name]: value } })));
      }
      for (const value of HOSTILE_JSON) {
        for (const name of probe.bodyFields) jobs.push(limit(() => check(probe, `body:${name}`, value, { body: { ...baseBody, [name]: value } })));
      }
    }
    await Promise.all(jobs);
    console.info(`api fuzz: ${calls} requests over ${probes.length} route handlers, ${failures.length} failures`);
    expect(failures).toEqual([]);
    expect(calls).toBeGreaterThan(1_000);
  });

  test("malformed and foreign Origin headers on every write are a 403, never a 5xx", async () => {
    const failures: string[] = [];
    for (const probe of probes.filter((candidate) => candidate.method !== "GET")) {
      for (const origin of ["null", "http://[::1", "http://localhost:3000@evil.example", "https://evil.example", "http://localhost:3000/x", "ü"]) {
        const { status } = await call(probe, { headers: { origin }, body: {} });
        if (status !== 403) failures.push(`${probe.method} ${probe.route} Origin ${origin}: ${status}`);
      }
    }
    expect(failures).toEqual([]);
  });

  // (TRACK and CONNECT never reach it: Node's HTTP parser answers them 400 itself.)
  test("TRACE is refused by the front (405) before any route runs", async () => {
    const server = await serveRoutes({ "/api/kpis": await import("./kpis/route") });
    try {
      for (const method of ["TRACE", "trace"]) {
        const answer = await httpRequest(`${server.url}/api/kpis`, { method });
        expect(answer.status, method).toBe(405);
        expect(answer.headers.allow).toMatch(/GET/);
      }
    } finally {
      await server.close();
    }
  });
});
