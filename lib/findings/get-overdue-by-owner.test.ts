import { beforeAll, describe, expect, test, vi } from "vitest";
import type { Permission, Role } from "@/lib/auth/permissions";
import { runCollection } from "@/lib/collector/run-collection";
import { createWaiver } from "@/lib/db/waivers";
import { DEFAULT_POSTURE_CONFIG } from "@/lib/posture";
import { callRoute, signInAs } from "@/testing/auth-session";
import { at, makeCluster, makeInCluster, scriptedSource, SUB_A, SUB_B } from "@/testing/estate-builders";
import { setupTestDatabase } from "@/testing/setup-test-database";
import * as assigneesRoute from "@/app/api/findings/assignees/route";
import * as overdueRoute from "@/app/api/findings/overdue-by-owner/route";
import { assignFindings } from "./finding-actions";
import { getOverdueByOwner } from "./get-overdue-by-owner";
import { listFindings } from "./list-findings";

// Lets one test take posture:read away from the viewer, to see the route check that permission.
const permissionOverride = vi.hoisted(() => ({ deny: null as { role: string; permission: string } | null }));
vi.mock("@/lib/auth/permissions", async (importOriginal) => {
  const actual = await importOriginal<typeof import("@/lib/auth/permissions")>();
  return {
    ...actual,
    can: (role: unknown, permission: Permission) => {
      const deny = permissionOverride.deny;
      return deny && deny.role === role && deny.permission === permission ? false : actual.can(role, permission);
    },
  };
});

const T0 = "2026-01-01T06:00:00.000Z";
const day = (days: number) => new Date(Date.parse(T0) + days * 86_400_000);
// 40 days after the first run: findings of controls with a 14- or 30-day SLA are overdue, 45 days not yet.
const NOW = day(40);

const db = setupTestDatabase({ processWide: true });
const cookies = {} as Record<Role, string>;

const estate = () =>
  scriptedSource(
    {
      [SUB_A]: [makeCluster({ name: "c1", networkPolicy: "none", owner: "payments", production: true }), makeCluster({ name: "c2", owner: "search" })],
      [SUB_B]: [makeCluster({ subscription: SUB_B, resourceGroup: "rg-b", name: "c3", networkPolicy: "none", owner: "search" })],
    },
    { c2: makeInCluster({ allowAnyIngress: true }) },
  );

async function findingId(cluster: string, controlId: string): Promise<number> {
  return (await db.prisma.finding.findFirstOrThrow({ where: { cluster: { name: cluster }, controlId, resolvedAt: null } })).id;
}

/** What the Findings page lists as overdue for `owner`: the widget must agree with it. */
async function overdueOnFindingsPage(owner: string, now: Date, subscription?: string): Promise<number> {
  const page = await listFindings(db, { status: "overdue", owner, subscription, sort: "due", dir: "asc", page: 1, pageSize: 200 }, now);
  return page.total;
}

beforeAll(async () => {
  await runCollection(db, { source: estate(), capturedAt: at(T0), config: DEFAULT_POSTURE_CONFIG });
  for (const role of ["viewer", "finops", "security", "admin"] as const) cookies[role] = await signInAs(db, role);
});

describe("getOverdueByOwner", () => {
  test("nothing is overdue before the shortest SLA has passed", async () => {
    expect(await getOverdueByOwner(db, { now: day(10) })).toEqual({ owners: [], ownerCount: 0, totalOverdue: 0 });
  });

  test("counts overdue findings per owner, most first, with the oldest due date; matches the Findings page", async () => {
    const result = await getOverdueByOwner(db, { now: NOW });
    // c1 and c3 have no engine: NP-01 (30 d), NP-02 (30 d) and NP-05 (14 d) are overdue, NP-03 (45 d) is not.
    // c2 has an allow-any rule: NP-06 (14 d).
    expect(result.owners).toEqual([
      // The SLA due date is the end of the UTC day the SLA runs out (one day convention).
      { owner: "search", overdue: 4, severe: 4, extended: 0, oldestDueAt: "2026-01-15T23:59:59.999Z" },
      { owner: "payments", overdue: 3, severe: 3, extended: 0, oldestDueAt: "2026-01-15T23:59:59.999Z" },
    ]);
    expect(result).toMatchObject({ ownerCount: 2, totalOverdue: 7 });
    for (const row of result.owners) expect(row.overdue).toBe(await overdueOnFindingsPage(row.owner, NOW));
    // NP-03 (medium, 45 days) becomes overdue later, and is not severe.
    const later = await getOverdueByOwner(db, { now: day(46) });
    expect(later.owners.find((row) => row.owner === "payments")).toMatchObject({ overdue: 4, severe: 3 });
  });

  test("the scope narrows by subscription and by owner; the limit keeps the top owners but not the totals", async () => {
    const subA = await getOverdueByOwner(db, { now: NOW, scope: { subscriptionId: SUB_A.toUpperCase() } });
    expect(subA.owners.map((row) => [row.owner, row.overdue])).toEqual([
      ["payments", 3],
      ["search", 1],
    ]);
    expect(subA.owners[1].overdue).toBe(await overdueOnFindingsPage("search", NOW, SUB_A));
    const payments = await getOverdueByOwner(db, { now: NOW, scope: { owner: "payments" } });
    expect(payments.owners.map((row) => row.owner)).toEqual(["payments"]);
    const both = await getOverdueByOwner(db, { now: NOW, scope: { subscriptionId: SUB_B, owner: "payments" } });
    expect(both.owners).toEqual([]);
    const top = await getOverdueByOwner(db, { now: NOW, limit: 1 });
    expect(top).toMatchObject({ owners: [{ owner: "search", overdue: 4 }], ownerCount: 2, totalOverdue: 7 });
  });

  test("a waiver in force takes a finding out; an extension does not hide the SLA breach; an expired waiver puts it back", async () => {
    const waived = await findingId("c3", "NP-01");
    await createWaiver(db, { findingId: waived, reason: "cluster retires", expiresAt: day(45), actor: "sec@example.com", at: day(39) });
    const moved = await findingId("c2", "NP-06");
    // Moving the due date later needs a reason; without one nothing changes.
    await expect(assignFindings(db, { ids: [moved], assignee: "team-search", dueAt: day(50).toISOString().slice(0, 10), actor: "sec@example.com" }, day(39))).rejects.toThrow(
      /^dueReason: say why the due date moves later/,
    );
    await assignFindings(
      db,
      { ids: [moved], assignee: "team-search", dueAt: day(50).toISOString().slice(0, 10), dueReason: "vendor patch lands in February", actor: "sec@example.com" },
      day(39),
    );

    const result = await getOverdueByOwner(db, { now: NOW });
    // search: c3's NP-01 is waived (out); c2's NP-06 is extended but still breached its SLA (in, and counted as extended).
    expect(result.owners.find((row) => row.owner === "search")).toMatchObject({ overdue: 3, extended: 1 });
    expect(result.totalOverdue).toBe(6);
    // On the Findings page the extended one is no longer overdue against its agreed date, but stays an SLA breach.
    expect(await overdueOnFindingsPage("search", NOW)).toBe(2);
    const breached = await listFindings(db, { status: "active", sla: "breached", owner: "search", sort: "due", dir: "asc", page: 1, pageSize: 200 }, NOW);
    expect(breached.counts.open + breached.counts.overdue).toBe(3);
    const extended = breached.rows.find((row) => row.id === moved)!;
    expect(extended).toMatchObject({ status: "open", slaBreached: true, dueReason: "vendor patch lands in February", slaDueAt: "2026-01-15T23:59:59.999Z" });
    const trail = await db.prisma.findingEvent.findMany({ where: { findingId: moved, type: "due-changed" } });
    expect(trail.map((event) => event.data)).toEqual([
      expect.objectContaining({ from: "2026-01-15T23:59:59.999Z", to: `${day(50).toISOString().slice(0, 10)}T23:59:59.999Z`, reason: "vendor patch lands in February" }),
    ]);

    // Day 46: the waiver has expired (NP-01 is back) and NP-03 (45 days) has joined.
    const afterExpiry = await getOverdueByOwner(db, { now: day(46) });
    expect(afterExpiry.owners.find((row) => row.owner === "search")).toMatchObject({ overdue: 5, extended: 1 });
  });

  test("resolved findings are not overdue", async () => {
    // The next run: c1 got an engine and in-cluster policies, so its findings resolve.
    const fixed = scriptedSource(
      {
        [SUB_A]: [makeCluster({ name: "c1", owner: "payments", production: true }), makeCluster({ name: "c2", owner: "search" })],
        [SUB_B]: [makeCluster({ subscription: SUB_B, resourceGroup: "rg-b", name: "c3", networkPolicy: "none", owner: "search" })],
      },
      { c1: makeInCluster(), c2: makeInCluster({ allowAnyIngress: true }) },
    );
    await runCollection(db, { source: fixed, capturedAt: day(41), config: DEFAULT_POSTURE_CONFIG });
    const result = await getOverdueByOwner(db, { now: day(42) });
    expect(result.owners.map((row) => row.owner)).toEqual(["search"]);
    expect(await overdueOnFindingsPage("payments", day(42))).toBe(0);
  });
});

describe("GET /api/findings/overdue-by-owner", () => {
  test("anonymous 401; a role without posture:read 403; every role may read it", async () => {
    const anonymous = await callRoute(overdueRoute.GET, {});
    expect(anonymous).toEqual({ status: 401, body: { error: { code: "unauthenticated", message: "Sign in to use Bulkhead." } } });

    permissionOverride.deny = { role: "viewer", permission: "posture:read" };
    try {
      const denied = await callRoute(overdueRoute.GET, { cookie: cookies.viewer });
      expect(denied.status).toBe(403);
    } finally {
      permissionOverride.deny = null;
    }

    for (const role of ["viewer", "finops", "security", "admin"] as const) {
      const allowed = await callRoute(overdueRoute.GET, { cookie: cookies[role] });
      expect(allowed.status, role).toBe(200);
      expect(allowed.body).toMatchObject({ owners: expect.any(Array), ownerCount: expect.any(Number), totalOverdue: expect.any(Number) });
    }
  });

  test("takes the scope and a limit from the query; bad values are a 400 with a message", async () => {
    const scoped = await callRoute(overdueRoute.GET, { path: `/api/findings/overdue-by-owner?owner=search&subscription=${SUB_B}&limit=5`, cookie: cookies.viewer });
    expect(scoped.status).toBe(200);
    const body = scoped.body as { owners: { owner: string; overdue: number }[] };
    expect(body.owners.map((row) => row.owner)).toEqual(["search"]);
    // Only c3 (SUB_B); today is long after every SLA in this estate.
    expect(body.owners[0].overdue).toBe(4);

    const badLimit = await callRoute(overdueRoute.GET, { path: "/api/findings/overdue-by-owner?limit=0", cookie: cookies.viewer });
    expect(badLimit).toEqual({ status: 400, body: { error: { code: "bad-request", message: "limit: must be from 1 to 50" } } });
    const badSubscription = await callRoute(overdueRoute.GET, { path: "/api/findings/overdue-by-owner?subscription=not%20an%20id", cookie: cookies.viewer });
    expect(badSubscription.status).toBe(400);
  });
});

describe("GET /api/findings/assignees", () => {
  test("anonymous 401; signed in: everyone findings are assigned to, with their active count", async () => {
    expect((await callRoute(assigneesRoute.GET, {})).status).toBe(401);
    const result = await callRoute(assigneesRoute.GET, { cookie: cookies.viewer });
    expect(result).toEqual({ status: 200, body: [{ assignee: "team-search", active: 1 }] });
  });
});
