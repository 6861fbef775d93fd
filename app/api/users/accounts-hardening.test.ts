import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { runCollection } from "@/lib/collector/run-collection";
import { DEFAULT_POSTURE_CONFIG } from "@/lib/posture";
import { callRoute, signInAs } from "@/testing/auth-session";
import { at, makeCluster, scriptedSource, SUB_A } from "@/testing/estate-builders";
import { createTestDatabase, type TestDatabase } from "@/testing/test-database";

let db: TestDatabase;
let authRoute: typeof import("../auth/[...all]/route");
let usersRoute: typeof import("./route");
let userRoute: typeof import("./[id]/route");
let assignRoute: typeof import("../findings/[id]/assign/route");

beforeAll(async () => {
  db = await createTestDatabase();
  process.env.DATABASE_URL = db.url;
  process.env.BULKHEAD_DATA_DIR = await mkdtemp(path.join(tmpdir(), "bulkhead-accounts-"));
  authRoute = await import("../auth/[...all]/route");
  usersRoute = await import("./route");
  userRoute = await import("./[id]/route");
  assignRoute = await import("../findings/[id]/assign/route");
});
afterAll(async () => {
  await db?.close();
});

describe("the last admin stays an admin", () => {
  test("an admin cannot demote itself while it is the only one; with a second admin it can", async () => {
    const { upsertLocalUser } = await import("@/lib/auth/local-users");
    const cookie = await signInAs(db, "admin", "only.admin@example.com");
    const onlyAdmin = await db.prisma.user.findUniqueOrThrow({ where: { email: "only.admin@example.com" } });
    const demote = await callRoute(userRoute.PATCH, { method: "PATCH", cookie, params: { id: onlyAdmin.id }, body: { role: "viewer" } });
    expect(demote.status).toBe(409);
    expect(JSON.stringify(demote.body)).toMatch(/only\.admin@example\.com is the last enabled admin/);
    expect((await db.prisma.user.findUniqueOrThrow({ where: { email: "only.admin@example.com" } })).role).toBe("admin");
    // The CLI (`bulkhead users add … --role viewer`) goes through the same function.
    await expect(upsertLocalUser(db, { email: "only.admin@example.com", role: "security" })).rejects.toThrow(/last admin/);

    await upsertLocalUser(db, { email: "second.admin@example.com", role: "admin", password: "second-admin-password" });
    const again = await callRoute(userRoute.PATCH, { method: "PATCH", cookie, params: { id: onlyAdmin.id }, body: { role: "viewer" } });
    expect(again.status).toBe(200);
    expect((await db.prisma.user.findUniqueOrThrow({ where: { email: "only.admin@example.com" } })).role).toBe("viewer");
  });

  test("two admins demoting each other at the same moment: one of them stays admin", async () => {
    const { upsertLocalUser } = await import("@/lib/auth/local-users");
    await db.prisma.user.updateMany({ where: { role: "admin" }, data: { role: "viewer" } });
    await upsertLocalUser(db, { email: "ann@example.com", role: "admin", password: "anns-password-123" });
    await upsertLocalUser(db, { email: "ben@example.com", role: "admin", password: "bens-password-123" });
    const results = await Promise.allSettled([
      upsertLocalUser(db, { email: "ann@example.com", role: "viewer" }),
      upsertLocalUser(db, { email: "ben@example.com", role: "viewer" }),
    ]);
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(1);
    expect(await db.prisma.user.count({ where: { role: "admin" } })).toBe(1);
  });

  test("deleting one's own account is not offered", async () => {
    const cookie = await signInAs(db, "admin", "keeper@example.com");
    const request = new NextRequest("http://localhost:3000/api/auth/delete-user", {
      method: "POST",
      headers: { origin: "http://localhost:3000", cookie, "content-type": "application/json" },
      body: JSON.stringify({ password: "correct-horse-battery-staple" }),
    });
    const answer = await authRoute.POST(request);
    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect(answer.status).toBeLessThan(500);
    expect(await db.prisma.user.count({ where: { email: "keeper@example.com" } })).toBe(1);
  });
});

describe("self-service profile edits get the admin API's checks", () => {
  const update = (cookie: string, body: unknown) => callRoute(authRoute.POST, { method: "POST", path: "/api/auth/update-user", cookie, body });

  test.each([
    [{ name: "<img src=x onerror=alert(1)>" }, /name: may not contain < >/],
    [{ name: "line\nbreak" }, /name: may not contain/],
    [{ name: "" }, /name: must not be empty/],
    [{ name: "x".repeat(500) }, /name: must be at most 120/],
    [{ name: 42 }, /name: must be text/],
    [{ name: ["a"] }, /name: must be text/],
    [{ image: "javascript:alert(1)" }, /image: must be an https:\/\/ URL/],
    [{ image: "http://example.com/a.png" }, /image: must be an https:\/\/ URL/],
    [{ image: "https://user:secret@example.com/a.png" }, /image: may not carry/],
    [{ role: "admin" }, /only name and image can be changed here \(not role\)/],
    [{ name: "nul\u0000byte" }, /must not contain NUL/],
  ])("%j is refused with 400 naming the field", async (body, message) => {
    const cookie = await signInAs(db, "viewer", "profile.user@example.com");
    const answer = await update(cookie, body);
    expect(answer.status).toBe(400);
    expect(JSON.stringify(answer.body)).toMatch(message);
    const user = await db.prisma.user.findUniqueOrThrow({ where: { email: "profile.user@example.com" } });
    expect(user).toMatchObject({ name: "profile.user", image: null, role: "viewer" });
  });

  test("a valid name and an https image are stored", async () => {
    const cookie = await signInAs(db, "viewer", "valid.profile@example.com");
    const answer = await update(cookie, { name: "Valérie Müller", image: "https://example.com/v.png" });
    expect(answer.status).toBe(200);
    expect(await db.prisma.user.findUniqueOrThrow({ where: { email: "valid.profile@example.com" } })).toMatchObject({ name: "Valérie Müller", image: "https://example.com/v.png" });
  });

  test("Latin-1 bytes are refused, not stored as replacement characters", async () => {
    const cookie = await signInAs(db, "viewer", "latin.one@example.com");
    for (const [handler, url] of [
      [authRoute.POST, "http://localhost:3000/api/auth/update-user"],
      [usersRoute.POST, "http://localhost:3000/api/users"],
    ] as const) {
      const admin = handler === usersRoute.POST ? await signInAs(db, "admin", "latin.admin@example.com") : cookie;
      const body = Buffer.concat([Buffer.from('{"name":"M'), Buffer.from([0xfc]), Buffer.from('ller","email":"latin.two@example.com","role":"viewer"}')]);
      const request = new NextRequest(url, { method: "POST", headers: { origin: "http://localhost:3000", cookie: admin, "content-type": "application/json; charset=latin1" }, body });
      const answer = await handler(request, { params: Promise.resolve({}) });
      expect(answer.status).toBe(400);
      expect(await answer.text()).toMatch(/must be UTF-8/);
    }
    expect((await db.prisma.user.findUniqueOrThrow({ where: { email: "latin.one@example.com" } })).name).toBe("latin.one");
    expect(await db.prisma.user.count({ where: { email: "latin.two@example.com" } })).toBe(0);
  });
});

describe("due dates", () => {
  test("a due date more than two years ahead, or in year 9999, is refused", async () => {
    await runCollection(db, { source: scriptedSource({ [SUB_A]: [makeCluster({ name: "due", networkPolicy: "none" })] }), capturedAt: at(new Date(Date.now() - 86_400_000).toISOString()), config: DEFAULT_POSTURE_CONFIG });
    const finding = await db.prisma.finding.findFirstOrThrow({ where: { controlId: "NP-01" } });
    const cookie = await signInAs(db, "security", "due.setter@example.com");
    const assign = (dueAt: string) => callRoute(assignRoute.POST, { method: "POST", params: { id: String(finding.id) }, cookie, body: { assignee: "team-a", dueAt, dueReason: "waiting on the platform upgrade" } });
    const threeYears = new Date(Date.now() + 3 * 365 * 86_400_000).toISOString().slice(0, 10);
    for (const dueAt of ["9999-12-31", threeYears]) {
      const answer = await assign(dueAt);
      expect(answer.status, dueAt).toBe(400);
      expect(JSON.stringify(answer.body)).toMatch(/dueAt: at most 730 days ahead/);
    }
    expect((await db.prisma.finding.findUniqueOrThrow({ where: { id: finding.id } })).dueAt).toBeNull();
    const nextMonth = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    expect((await assign(nextMonth)).status).toBe(200);
  });
});

describe("accounts an admin manages", () => {
  const signInWithPassword = async (email: string, password: string) => {
    const { getAuth } = await import("@/lib/auth/auth");
    return (await getAuth()).handler(
      new Request("http://localhost:3000/api/auth/sign-in/email", {
        method: "POST",
        headers: { "content-type": "application/json", origin: "http://localhost:3000", "x-forwarded-for": "10.9.9.9" },
        body: JSON.stringify({ email, password }),
      }),
    );
  };

  test("adding an e-mail that has an account is refused and changes nothing; disable ends its sessions and refuses sign-in; remove; every step in the trail", async () => {
    const admin = await signInAs(db, "admin", "boss@example.com");
    const created = await callRoute(usersRoute.POST, { method: "POST", cookie: admin, body: { email: "dana@example.com", role: "security", password: "danas-password-123" } });
    expect(created).toMatchObject({ status: 200, body: { email: "dana@example.com", role: "security", created: true } });
    const dana = await db.prisma.user.findUniqueOrThrow({ where: { email: "dana@example.com" } });

    // Adding again (another role, another password) is a 409 that says what to do; nothing changes.
    const twice = await callRoute(usersRoute.POST, { method: "POST", cookie: admin, body: { email: "Dana@Example.com", role: "admin", password: "another-password-456" } });
    expect(twice.status).toBe(409);
    expect((twice.body as { error: { message: string } }).error.message).toMatch(/^email: dana@example\.com already has an account \(security\)\. Change its role or reset its password/);
    expect((await db.prisma.user.findUniqueOrThrow({ where: { id: dana.id } })).role).toBe("security");
    expect((await signInWithPassword("dana@example.com", "danas-password-123")).status).toBe(200);
    expect(await db.prisma.session.count({ where: { userId: dana.id } })).toBeGreaterThan(0);

    const disabled = await callRoute(userRoute.PATCH, { method: "PATCH", cookie: admin, params: { id: dana.id }, body: { disabled: true } });
    expect(disabled).toMatchObject({ status: 200, body: { disabled: true } });
    expect(await db.prisma.session.count({ where: { userId: dana.id } })).toBe(0);
    const refused = await signInWithPassword("dana@example.com", "danas-password-123");
    expect(refused.status).toBe(403);
    expect(await db.prisma.session.count({ where: { userId: dana.id } })).toBe(0);

    // An admin cannot disable or remove itself.
    const boss = await db.prisma.user.findUniqueOrThrow({ where: { email: "boss@example.com" } });
    expect((await callRoute(userRoute.PATCH, { method: "PATCH", cookie: admin, params: { id: boss.id }, body: { disabled: true } })).status).toBe(409);
    expect((await callRoute(userRoute.DELETE, { method: "DELETE", cookie: admin, params: { id: boss.id }, body: {} })).status).toBe(409);

    const roleChange = await callRoute(userRoute.PATCH, { method: "PATCH", cookie: admin, params: { id: dana.id }, body: { role: "viewer", disabled: false } });
    expect(roleChange.status).toBe(200);
    expect((await signInWithPassword("dana@example.com", "danas-password-123")).status).toBe(200);
    const removed = await callRoute(userRoute.DELETE, { method: "DELETE", cookie: admin, params: { id: dana.id }, body: {} });
    expect(removed).toMatchObject({ status: 200, body: { email: "dana@example.com" } });
    expect(await db.prisma.user.count({ where: { email: "dana@example.com" } })).toBe(0);
    expect(await db.prisma.session.count({ where: { userId: dana.id } })).toBe(0);

    const eventsRoute = await import("./events/route");
    const trail = (await callRoute(eventsRoute.GET, { cookie: admin })).body as { type: string; subject: string; actor: string; data: Record<string, unknown> }[];
    expect(trail.filter((event) => event.subject === "dana@example.com").map((event) => [event.type, event.actor])).toEqual([
      ["account-removed", "boss@example.com"],
      ["account-enabled", "boss@example.com"],
      ["role-changed", "boss@example.com"],
      ["account-disabled", "boss@example.com"],
      ["account-created", "boss@example.com"],
    ]);
    // The trail is append-only.
    await expect(db.pool.query("DELETE FROM admin_events")).rejects.toThrow(/append-only/);
    // A viewer may not read it.
    const viewer = await signInAs(db, "viewer", "peek@example.com");
    expect((await callRoute(eventsRoute.GET, { cookie: viewer })).status).toBe(403);
  });
});
