import { beforeAll, describe, expect, test } from "vitest";
import type { Role } from "@/lib/auth/permissions";
import { runCollection } from "@/lib/collector/run-collection";
import { DEFAULT_POSTURE_CONFIG } from "@/lib/posture";
import { callRoute, signInAs } from "@/testing/auth-session";
import { at, makeCluster, makeInCluster, scriptedSource, SUB_A } from "@/testing/estate-builders";
import { setupTestDatabase } from "@/testing/setup-test-database";
import * as findingsRoute from "../findings/route";
import * as bulkAssignRoute from "../findings/assign/route";
import * as findingRoute from "../findings/[id]/route";
import * as assignRoute from "../findings/[id]/assign/route";
import * as commentsRoute from "../findings/[id]/comments/route";
import * as waiverRoute from "../findings/[id]/waiver/route";
import * as slaRoute from "../settings/sla/route";
import * as usersRoute from "../users/route";

const db = setupTestDatabase({ processWide: true });
const cookies = {} as Record<Role, string>;
let findingId: number;
let otherFindingId: number;

beforeAll(async () => {
  const now = Date.now();
  const day = (offset: number) => new Date(now - offset * 86_400_000).toISOString();
  const source = scriptedSource({ [SUB_A]: [makeCluster({ name: "c1", networkPolicy: "none", owner: "payments", production: true }), makeCluster({ name: "c2", owner: "search" })] }, { c2: makeInCluster({ allowAnyIngress: true }) });
  await runCollection(db, { source, capturedAt: at(day(40)), config: DEFAULT_POSTURE_CONFIG });
  findingId = (await db.prisma.finding.findFirstOrThrow({ where: { controlId: "NP-01" } })).id;
  otherFindingId = (await db.prisma.finding.findFirstOrThrow({ where: { controlId: "NP-06" } })).id;
  for (const role of ["viewer", "finops", "security", "admin"] as const) cookies[role] = await signInAs(db, role);
});

type Case = { name: string; handler: Parameters<typeof callRoute>[0]; method: string; params?: Record<string, string>; body?: () => unknown; allowed: Role[] };

const inFuture = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

const cases: Case[] = [
  { name: "GET /api/findings", handler: findingsRoute.GET, method: "GET", allowed: ["viewer", "finops", "security", "admin"] },
  { name: "GET /api/findings/[id]", handler: findingRoute.GET, method: "GET", params: { id: "1" }, allowed: ["viewer", "finops", "security", "admin"] },
  { name: "POST /api/findings/[id]/assign", handler: assignRoute.POST, method: "POST", body: () => ({ assignee: "team-payments" }), allowed: ["security", "admin"] },
  { name: "POST /api/findings/assign", handler: bulkAssignRoute.POST, method: "POST", body: () => ({ ids: [findingId], assignee: "team-payments" }), allowed: ["security", "admin"] },
  { name: "POST /api/findings/[id]/comments", handler: commentsRoute.POST, method: "POST", body: () => ({ text: "looking at it" }), allowed: ["security", "admin"] },
  { name: "POST /api/findings/[id]/waiver", handler: waiverRoute.POST, method: "POST", body: () => ({ reason: "retiring next quarter", expiresAt: inFuture(30) }), allowed: ["security", "admin"] },
  { name: "DELETE /api/findings/[id]/waiver", handler: waiverRoute.DELETE, method: "DELETE", allowed: ["security", "admin"] },
  { name: "GET /api/settings/sla", handler: slaRoute.GET, method: "GET", allowed: ["viewer", "finops", "security", "admin"] },
  { name: "PUT /api/settings/sla", handler: slaRoute.PUT, method: "PUT", body: () => ({ changes: [{ controlId: "NP-06", slaDays: 10 }] }), allowed: ["admin"] },
  { name: "GET /api/users", handler: usersRoute.GET, method: "GET", allowed: ["admin"] },
  { name: "POST /api/users", handler: usersRoute.POST, method: "POST", body: () => ({ email: "new.user@example.com", role: "viewer" }), allowed: ["admin"] },
];

describe("every route: anonymous 401, a role without the permission 403, the right role succeeds", () => {
  for (const item of cases) {
    test(item.name, async () => {
      const params = item.params ?? (item.name.includes("[id]") ? { id: String(findingId) } : {});
      const anonymous = await callRoute(item.handler, { method: item.method, params, body: item.body?.() });
      expect(anonymous.status).toBe(401);
      expect(anonymous.body).toEqual({ error: { code: "unauthenticated", message: "Sign in to use Bulkhead." } });
      for (const role of ["viewer", "finops", "security", "admin"] as const) {
        if (item.allowed.includes(role)) continue;
        const denied = await callRoute(item.handler, { method: item.method, params, body: item.body?.(), cookie: cookies[role] });
        expect(denied.status, `${role} must be refused`).toBe(403);
      }
      const role = item.allowed[0];
      if (item.name === "DELETE /api/findings/[id]/waiver") {
        await callRoute(waiverRoute.POST, { method: "POST", params, body: { reason: "to revoke", expiresAt: inFuture(10) }, cookie: cookies.security });
      }
      const allowed = await callRoute(item.handler, { method: item.method, params, body: item.body?.(), cookie: cookies[role] });
      expect(allowed.status, JSON.stringify(allowed.body)).toBe(200);
    });
  }
});

describe("bad input gets a 4xx with a message and changes nothing", () => {
  const eventCount = () => db.prisma.findingEvent.count();

  test("an unknown finding", async () => {
    const before = await eventCount();
    const result = await callRoute(commentsRoute.POST, { method: "POST", params: { id: "999999" }, body: { text: "hello" }, cookie: cookies.security });
    expect(result.status).toBe(404);
    expect(result.body).toEqual({ error: { code: "not-found", message: "finding 999999 does not exist" } });
    const notANumber = await callRoute(commentsRoute.POST, { method: "POST", params: { id: "abc" }, body: { text: "hello" }, cookie: cookies.security });
    expect(notANumber.status).toBe(400);
    expect(notANumber.body).toMatchObject({ error: { code: "bad-request", message: expect.stringMatching(/^id: /) } });
    const bulk = await callRoute(bulkAssignRoute.POST, { method: "POST", body: { ids: [findingId, 999999], assignee: "x" }, cookie: cookies.security });
    expect(bulk.status).toBe(404);
    expect(await eventCount()).toBe(before);
    expect((await db.prisma.finding.findUniqueOrThrow({ where: { id: findingId } })).assignee).toBe("team-payments");
  });

  test("a waiver expiring in the past or beyond 180 days", async () => {
    const before = await eventCount();
    const past = await callRoute(waiverRoute.POST, { method: "POST", params: { id: String(otherFindingId) }, body: { reason: "because", expiresAt: "2020-01-01" }, cookie: cookies.security });
    expect(past.status).toBe(400);
    expect(past.body).toMatchObject({ error: { message: "expiresAt: must be today or later" } });
    const far = await callRoute(waiverRoute.POST, { method: "POST", params: { id: String(otherFindingId) }, body: { reason: "because", expiresAt: inFuture(181) }, cookie: cookies.security });
    expect(far.status).toBe(400);
    expect(far.body).toMatchObject({ error: { message: "expiresAt: a waiver lasts at most 180 days" } });
    const limit = await callRoute(waiverRoute.POST, { method: "POST", params: { id: String(otherFindingId) }, body: { reason: "because", expiresAt: "tomorrow" }, cookie: cookies.security });
    expect(limit.status).toBe(400);
    expect(await eventCount()).toBe(before);
    expect(await db.prisma.waiver.count({ where: { findingId: otherFindingId } })).toBe(0);
  });

  test("a 10 KB comment is refused; HTML in a comment is kept as text", async () => {
    const before = await eventCount();
    const big = await callRoute(commentsRoute.POST, { method: "POST", params: { id: String(otherFindingId) }, body: { text: "x".repeat(10 * 1024) }, cookie: cookies.security });
    expect(big.status).toBe(400);
    expect(big.body).toMatchObject({ error: { message: "text: must be at most 2000 characters" } });
    expect(await eventCount()).toBe(before);
    const html = '<img src=x onerror="alert(1)"><b>urgent</b>';
    const ok = await callRoute(commentsRoute.POST, { method: "POST", params: { id: String(otherFindingId) }, body: { text: html }, cookie: cookies.security });
    expect(ok.status).toBe(200);
    const detail = await callRoute(findingRoute.GET, { params: { id: String(otherFindingId) }, cookie: cookies.viewer });
    const events = (detail.body as { events: { type: string; data: { text?: string } }[] }).events;
    expect(events.at(-1)).toMatchObject({ type: "commented", data: { text: html } });
  });

  test("a malformed body, an assignee with markup, a cross-site write", async () => {
    const before = await eventCount();
    const malformed = await callRoute(assignRoute.POST, { method: "POST", params: { id: String(findingId) }, body: "{not json", cookie: cookies.security });
    expect(malformed).toMatchObject({ status: 400, body: { error: { message: "The request body must be a JSON object." } } });
    const markup = await callRoute(assignRoute.POST, { method: "POST", params: { id: String(findingId) }, body: { assignee: "<script>" }, cookie: cookies.security });
    expect(markup.status).toBe(400);
    expect(markup.body).toMatchObject({ error: { message: expect.stringMatching(/^assignee: may not contain/) } });
    const crossSite = await callRoute(assignRoute.POST, { method: "POST", params: { id: String(findingId) }, body: { assignee: "evil" }, cookie: cookies.security, origin: "https://evil.example" });
    expect(crossSite.status).toBe(403);
    expect(await eventCount()).toBe(before);
  });
});

describe("the audit trail", () => {
  test("assign, comment, waive and revoke are each kept with who and when", async () => {
    const fresh = await db.prisma.finding.create({
      data: { clusterId: (await db.prisma.cluster.findFirstOrThrow()).id, controlId: "NP-07", openedAt: new Date(), openedSnapshotId: 1n, subscriptionId: SUB_A, owner: "payments", production: false, slaDueAt: new Date(Date.now() + 30 * 86_400_000) },
    });
    const id = String(fresh.id);
    await callRoute(assignRoute.POST, { method: "POST", params: { id }, body: { assignee: "dana@example.com", dueAt: inFuture(7) }, cookie: cookies.security });
    await callRoute(commentsRoute.POST, { method: "POST", params: { id }, body: { text: "ticket NET-42" }, cookie: cookies.admin });
    await callRoute(waiverRoute.POST, { method: "POST", params: { id }, body: { reason: "vendor fix pending", expiresAt: inFuture(20) }, cookie: cookies.security });
    await callRoute(waiverRoute.DELETE, { method: "DELETE", params: { id }, cookie: cookies.admin });
    const detail = (await callRoute(findingRoute.GET, { params: { id }, cookie: cookies.viewer })).body as { events: { type: string; actor: string }[]; assignee: string; status: string };
    expect(detail.events.map((e) => [e.type, e.actor])).toEqual([
      ["assigned", "security@test.bulkhead.local"],
      // The due date, agreed earlier than the SLA's, is its own entry (old → new).
      ["due-changed", "security@test.bulkhead.local"],
      ["commented", "admin@test.bulkhead.local"],
      ["waived", "security@test.bulkhead.local"],
      ["waiver-revoked", "admin@test.bulkhead.local"],
    ]);
    expect(detail).toMatchObject({ assignee: "dana@example.com", status: "open" });
  });
});
