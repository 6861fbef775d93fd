import { beforeAll, describe, expect, test } from "vitest";
import { setupTestDatabase } from "@/testing/setup-test-database";

const db = setupTestDatabase({ processWide: true });
beforeAll(async () => {
  process.env.BULKHEAD_SIGNIN_RATE_LIMIT = "3/60";
});

async function signInRequest(email: string, password: string, ip: string) {
  const { getAuth } = await import("./auth");
  const auth = await getAuth();
  return auth.handler(
    new Request("http://localhost:3000/api/auth/sign-in/email", {
      method: "POST",
      headers: { "content-type": "application/json", origin: "http://localhost:3000", "x-forwarded-for": ip },
      body: JSON.stringify({ email, password }),
    }),
  );
}

describe("local accounts and sign-in", () => {
  test("a local account signs in with its password; the session carries its role; no password is stored in clear", async () => {
    const { upsertLocalUser } = await import("./local-users");
    const { getCurrentUser } = await import("./current-user");
    const created = await upsertLocalUser(db, { email: "Alice@Example.com", role: "security" });
    expect(created).toMatchObject({ email: "alice@example.com", role: "security", created: true });
    expect(created.generatedPassword).toMatch(/^[\w-]{16}$/);
    const response = await signInRequest("alice@example.com", created.generatedPassword!, "192.0.2.10");
    expect(response.status).toBe(200);
    const cookie = response.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
    expect(response.headers.getSetCookie().join("\n")).toMatch(/bulkhead\.session_token=.*HttpOnly/i);
    const user = await getCurrentUser(new Headers({ cookie }));
    expect(user).toMatchObject({ email: "alice@example.com", role: "security" });
    const account = await db.prisma.account.findFirstOrThrow({ where: { user: { email: "alice@example.com" } } });
    expect(account.password).not.toContain(created.generatedPassword!);
    expect(account.password!.length).toBeGreaterThan(40);
  });

  test("changing a role signs the account's sessions out", async () => {
    const { upsertLocalUser } = await import("./local-users");
    const { getCurrentUser } = await import("./current-user");
    // Another admin, so that bob may stop being one (the last admin cannot be demoted).
    await upsertLocalUser(db, { email: "keeper@example.com", role: "admin" });
    await upsertLocalUser(db, { email: "bob@example.com", role: "admin", password: "a-long-password-1" });
    const response = await signInRequest("bob@example.com", "a-long-password-1", "192.0.2.11");
    const cookie = response.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
    expect(await getCurrentUser(new Headers({ cookie }))).toMatchObject({ role: "admin" });
    await upsertLocalUser(db, { email: "bob@example.com", role: "viewer" });
    expect(await getCurrentUser(new Headers({ cookie }))).toBeNull();
  });

  test("repeated failed sign-ins from one address are slowed down (429), other addresses are not", async () => {
    const { upsertLocalUser } = await import("./local-users");
    const { serveRoutes, httpRequest } = await import("@/testing/route-server");
    await upsertLocalUser(db, { email: "carol@example.com", role: "viewer", password: "carols-password-1" });
    // Through the real route and HTTP front: the client's address is the socket's (127.0.0.0/8 is loopback).
    const server = await serveRoutes({ "/api/auth/[...all]": await import("@/app/api/auth/[...all]/route") });
    const signIn = (password: string, from: string) =>
      httpRequest(`${server.url}/api/auth/sign-in/email`, {
        method: "POST",
        localAddress: from,
        headers: { origin: "http://localhost:3000" },
        body: JSON.stringify({ email: "carol@example.com", password }),
      }).then((answer) => answer.status);
    try {
      const statuses = [];
      for (let attempt = 0; attempt < 5; attempt++) statuses.push(await signIn("wrong-password-x", "127.0.7.7"));
      expect(statuses.slice(0, 3)).toEqual([401, 401, 401]);
      expect(statuses.slice(3)).toEqual([429, 429]);
      // The right password from the throttled address waits too; another address signs in.
      expect(await signIn("carols-password-1", "127.0.7.7")).toBe(429);
      expect(await signIn("carols-password-1", "127.0.7.8")).toBe(200);
    } finally {
      await server.close();
    }
  });

  test("self sign-up is closed and bad input is refused with a message", async () => {
    const { getAuth } = await import("./auth");
    const { upsertLocalUser } = await import("./local-users");
    const auth = await getAuth();
    const signUp = await auth.handler(
      new Request("http://localhost:3000/api/auth/sign-up/email", {
        method: "POST",
        headers: { "content-type": "application/json", origin: "http://localhost:3000", "x-forwarded-for": "192.0.2.50" },
        body: JSON.stringify({ email: "mallory@example.com", password: "mallorys-password", name: "m" }),
      }),
    );
    expect(signUp.status).toBeGreaterThanOrEqual(400);
    expect(await db.prisma.user.count({ where: { email: "mallory@example.com" } })).toBe(0);
    await expect(upsertLocalUser(db, { email: "not-an-email", role: "viewer" })).rejects.toThrow(/EMAIL: "not-an-email" is not an e-mail address/);
    await expect(upsertLocalUser(db, { email: "x@example.com", role: "viewer", password: "short" })).rejects.toThrow(/at least 12 characters/);
  });
});
