// Signing in to a running server for the benches (loopback only): the demo admin unless
// BENCH_EMAIL and BENCH_PASSWORD say otherwise. Returns the session cookie header.
const DEMO_ADMIN = { email: "admin@demo.bulkhead.local", password: "bulkhead-demo-password" };
const SIGN_IN_TIMEOUT_MS = 30_000;

export async function signIn(base: URL): Promise<string> {
  const email = process.env.BENCH_EMAIL ?? DEMO_ADMIN.email;
  const password = process.env.BENCH_PASSWORD ?? DEMO_ADMIN.password;
  const response = await fetch(new URL("/api/auth/sign-in/email", base), {
    method: "POST",
    headers: { "content-type": "application/json", origin: base.origin },
    body: JSON.stringify({ email, password }),
    signal: AbortSignal.timeout(SIGN_IN_TIMEOUT_MS),
  });
  if (!response.ok) throw new Error(`sign-in as ${email} failed (${response.status}); start the server with --demo, or set BENCH_EMAIL and BENCH_PASSWORD`);
  const cookie = response.headers
    .getSetCookie()
    .map((item) => item.split(";")[0])
    .join("; ");
  if (!cookie) throw new Error("sign-in answered without a session cookie");
  return cookie;
}
