import { NextRequest } from "next/server";
import { getAuth } from "@/lib/auth/auth";
import { upsertLocalUser } from "@/lib/auth/local-users";
import type { Role } from "@/lib/auth/permissions";
import type { Database } from "@/lib/db/client";

const PASSWORD = "correct-horse-battery-staple";

/** Signs in through Better Auth as a (new) local user with `role`; returns the Cookie header. */
export async function signInAs(db: Database, role: Role, email = `${role}@test.bulkhead.local`): Promise<string> {
  await upsertLocalUser(db, { email, role, password: PASSWORD });
  const auth = await getAuth();
  const response = await auth.handler(
    new Request("http://localhost:3000/api/auth/sign-in/email", {
      method: "POST",
      headers: { "content-type": "application/json", origin: "http://localhost:3000", "x-forwarded-for": `10.0.0.${Math.floor(Math.random() * 250) + 1}` },
      body: JSON.stringify({ email, password: PASSWORD }),
    }),
  );
  if (!response.ok) throw new Error(`sign-in as ${role} failed: ${response.status} ${await response.text()}`);
  return response.headers
    .getSetCookie()
    .map((cookie) => cookie.split(";")[0])
    .join("; ");
}

type Handler = (request: NextRequest, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

/** Calls a route handler the way Next does, as a same-origin browser request. */
export async function callRoute(
  handler: Handler,
  options: { method?: string; path?: string; cookie?: string; body?: unknown; params?: Record<string, string>; origin?: string | null; headers?: Record<string, string> },
): Promise<{ status: number; body: unknown }> {
  const url = `http://localhost:3000${options.path ?? "/api/test"}`;
  const headers: Record<string, string> = { ...(options.origin === null ? {} : { origin: options.origin ?? "http://localhost:3000" }), ...options.headers };
  if (options.cookie) headers.cookie = options.cookie;
  if (options.body !== undefined) headers["content-type"] = "application/json";
  const request = new NextRequest(url, {
    method: options.method ?? "GET",
    headers,
    body: options.body === undefined ? undefined : typeof options.body === "string" ? options.body : JSON.stringify(options.body),
  });
  const response = await handler(request, { params: Promise.resolve(options.params ?? {}) });
  return { status: response.status, body: await response.json() };
}
