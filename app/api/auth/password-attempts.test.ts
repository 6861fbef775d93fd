import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { parseTrustedProxies } from "@/lib/http/client-address";
import { cookieHeader, httpRequest, serveRoutes, type RouteServer } from "@/testing/route-server";
import { createTestDatabase, type TestDatabase } from "@/testing/test-database";

// Real HTTP requests over loopback sockets through the auth route handler, with the production front.
// 127.0.0.0/8 is all loopback: each test's clients use their own addresses so their counts stay apart.
const LIMIT = 4;

let db: TestDatabase;
let server: RouteServer;
let behindProxy: RouteServer;
beforeAll(async () => {
  db = await createTestDatabase();
  process.env.DATABASE_URL = db.url;
  process.env.BULKHEAD_DATA_DIR = await mkdtemp(path.join(tmpdir(), "bulkhead-attempts-"));
  process.env.BULKHEAD_SIGNIN_RATE_LIMIT = `${LIMIT}/60`;
  const route = await import("./[...all]/route");
  server = await serveRoutes({ "/api/auth/[...all]": route });
  behindProxy = await serveRoutes({ "/api/auth/[...all]": route }, { trusted: parseTrustedProxies("127.0.0.1") });
  const { upsertLocalUser } = await import("@/lib/auth/local-users");
  await upsertLocalUser(db, { email: "victim@example.com", role: "viewer", password: "victims-password-1" });
  await upsertLocalUser(db, { email: "dora@example.com", role: "viewer", password: "doras-password-12" });
});
afterAll(async () => {
  await server?.close();
  await behindProxy?.close();
  await db?.close();
});

function signIn(target: RouteServer, from: string, email: string, password: string, headers: Record<string, string> = {}) {
  return httpRequest(`${target.url}/api/auth/sign-in/email`, {
    method: "POST",
    localAddress: from,
    headers: { origin: "http://localhost:3000", ...headers },
    body: JSON.stringify({ email, password }),
  });
}

describe("failed password checks are limited per client address, as the socket saw it", () => {
  test("rotating X-Forwarded-For does not buy more guesses: the socket's address is counted", async () => {
    const statuses: number[] = [];
    for (let guess = 0; guess < LIMIT + 3; guess++) {
      const answer = await signIn(server, "127.0.1.1", "victim@example.com", `wrong-guess-${guess}`, { "x-forwarded-for": `203.0.113.${guess + 1}` });
      statuses.push(answer.status);
    }
    expect(statuses).toEqual([...Array(LIMIT).fill(401), 429, 429, 429]);
    const refused = await signIn(server, "127.0.1.1", "victim@example.com", "victims-password-1", { "x-forwarded-for": "198.51.100.200" });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers["retry-after"])).toBeGreaterThan(0);
  });

  test("a victim's address is not locked out by someone else who writes it into X-Forwarded-For", async () => {
    for (let guess = 0; guess < LIMIT + 2; guess++) {
      await signIn(server, "127.0.2.1", "victim@example.com", `wrong-${guess}`, { "x-forwarded-for": "127.0.2.2" });
    }
    expect((await signIn(server, "127.0.2.1", "victim@example.com", "wrong-again")).status).toBe(429);
    const victim = await signIn(server, "127.0.2.2", "victim@example.com", "victims-password-1");
    expect(victim.status).toBe(200);
    expect(cookieHeader(victim)).toMatch(/bulkhead\.session_token=/);
  });

  test("successful sign-ins do not count toward the failure limit", async () => {
    for (let success = 0; success < LIMIT * 2; success++) {
      expect((await signIn(server, "127.0.3.1", "dora@example.com", "doras-password-12")).status).toBe(200);
    }
    const failures = [];
    for (let guess = 0; guess < LIMIT + 1; guess++) failures.push((await signIn(server, "127.0.3.1", "dora@example.com", "not-doras-pw")).status);
    expect(failures).toEqual([...Array(LIMIT).fill(401), 429]);
  });

  test("parallel guesses cannot all slip in before the first failure is counted", async () => {
    const answers = await Promise.all(Array.from({ length: LIMIT * 3 }, (_, guess) => signIn(server, "127.0.4.1", "victim@example.com", `parallel-${guess}`)));
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 401)).toHaveLength(LIMIT);
    expect(statuses.filter((status) => status === 429)).toHaveLength(LIMIT * 2);
  });

  test("change-password and verify-password are limited the same way", async () => {
    const session = cookieHeader(await signIn(server, "127.0.5.1", "dora@example.com", "doras-password-12"));
    const call = (pathname: string, body: unknown, from: string) =>
      httpRequest(`${server.url}/api/auth/${pathname}`, {
        method: "POST",
        localAddress: from,
        headers: { origin: "http://localhost:3000", cookie: session, "x-forwarded-for": `192.0.2.${Math.floor(Math.random() * 250) + 1}` },
        body: JSON.stringify(body),
      });
    const change: number[] = [];
    for (let guess = 0; guess < LIMIT + 1; guess++) {
      change.push((await call("change-password", { currentPassword: `wrong-current-${guess}`, newPassword: "a-brand-new-password" }, "127.0.5.2")).status);
    }
    expect(change.slice(0, LIMIT).every((status) => status >= 400 && status < 429)).toBe(true);
    expect(change[LIMIT]).toBe(429);
    const verify: number[] = [];
    for (let guess = 0; guess < LIMIT + 1; guess++) verify.push((await call("verify-password", { password: `wrong-${guess}` }, "127.0.5.3")).status);
    expect(verify.slice(0, LIMIT).every((status) => status >= 400 && status < 429)).toBe(true);
    expect(verify[LIMIT]).toBe(429);
    // The password itself was never changed by any of it.
    expect((await signIn(server, "127.0.5.4", "dora@example.com", "doras-password-12")).status).toBe(200);
  });

  test("behind a trusted proxy the right-most entry it did not write is the client; an untrusted peer's header is ignored", async () => {
    // The proxy (127.0.0.1) appends the address it saw; whatever the client wrote sits left of it.
    const statuses: number[] = [];
    for (let guess = 0; guess < LIMIT + 1; guess++) {
      const answer = await signIn(behindProxy, "127.0.0.1", "victim@example.com", `proxied-${guess}`, { "x-forwarded-for": `10.9.9.${guess}, 198.51.100.77` });
      statuses.push(answer.status);
    }
    expect(statuses).toEqual([...Array(LIMIT).fill(401), 429]);
    // Another client behind the same proxy is someone else.
    expect((await signIn(behindProxy, "127.0.0.1", "victim@example.com", "victims-password-1", { "x-forwarded-for": "198.51.100.78" })).status).toBe(200);
    // A peer that is not the proxy cannot claim to be 198.51.100.78: its own address is counted.
    for (let guess = 0; guess < LIMIT + 1; guess++) await signIn(behindProxy, "127.0.6.1", "victim@example.com", `spoof-${guess}`, { "x-forwarded-for": "198.51.100.78" });
    expect((await signIn(behindProxy, "127.0.0.1", "victim@example.com", "victims-password-1", { "x-forwarded-for": "198.51.100.78" })).status).toBe(200);
  });
});
