import { readdirSync } from "node:fs";
import path from "node:path";
import type { APIRequestContext, Page } from "@playwright/test";
import { expect, test } from "./fixtures";

/** Every page of the app, from app/**\/page.tsx, so a new page is checked without editing this list. */
function discoverPages(): string[] {
  return readdirSync("app", { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(`${path.sep}page.tsx`) || file === "page.tsx")
    .map((file) => `/${path.dirname(file)}`.split(path.sep).join("/").replace(/\/\([^)]+\)/g, "").replace(/\/\.$/, "") || "/")
    .map((route) => (route === "" ? "/" : route))
    .sort();
}

async function firstId(request: APIRequestContext, url: string): Promise<string> {
  const answer = await request.get(url);
  expect(answer.ok()).toBe(true);
  const body = (await answer.json()) as { rows: { id: number }[] };
  expect(body.rows.length).toBeGreaterThan(0);
  return String(body.rows[0].id);
}

function scriptSrc(policy: string | undefined): string {
  return (policy ?? "").split(";").map((part) => part.trim()).find((part) => part.startsWith("script-src")) ?? "";
}

/** Console errors and uncaught page errors while `work` runs; CSP violations are console errors. */
async function collectErrors(page: Page, work: () => Promise<void>): Promise<string[]> {
  const errors: string[] = [];
  const onConsole = (message: { type(): string; text(): string }) => {
    if (message.type() === "error") errors.push(message.text());
  };
  const onPageError = (error: Error) => errors.push(error.message);
  page.on("console", onConsole);
  page.on("pageerror", onPageError);
  try {
    await work();
  } finally {
    page.off("console", onConsole);
    page.off("pageerror", onPageError);
  }
  return errors;
}

test.describe("content security policy", () => {
  test("every page loads and hydrates under a nonce policy without a single CSP violation or console error", async ({ page, request }) => {
    const clusterId = await firstId(request, "/api/clusters?pageSize=25");
    const findingId = await firstId(request, "/api/findings?pageSize=25");
    const pages = discoverPages().map((route) => route.replace("/clusters/[id]", `/clusters/${clusterId}`).replace("/findings/[id]", `/findings/${findingId}`));
    expect(pages).toEqual(expect.arrayContaining(["/", "/clusters", "/trends", "/sign-in", "/forbidden", `/clusters/${clusterId}`]));
    const nonces = new Set<string>();
    for (const route of [...pages, "/no-such-page"]) {
      const errors = await collectErrors(page, async () => {
        const response = await page.goto(route);
        expect(response, route).not.toBeNull();
        const policy = response!.headers()["content-security-policy"];
        const scripts = scriptSrc(policy);
        expect(scripts, `${route} script-src`).toMatch(/'nonce-[^']+'/);
        expect(scripts, `${route} script-src`).not.toContain("'unsafe-inline'");
        nonces.add(/'nonce-([^']+)'/.exec(scripts)![1]);
        // The page became interactive: React ran, so its scripts were allowed.
        await page.locator("html[data-hydrated='true']").waitFor({ state: "attached" });
        await page.waitForLoadState("networkidle");
      });
      // A 404 page logs the failed document request itself; nothing else may appear.
      const relevant = errors.filter((text) => !(route === "/no-such-page" && /404 \(Not Found\)/.test(text)));
      expect(relevant, `console errors on ${route}`).toEqual([]);
    }
    expect(nonces.size).toBe(pages.length + 1);
  });

  test("no HSTS over plain http (the e2e server's public URL is http)", async ({ request }) => {
    const answer = await request.get("/sign-in");
    expect(answer.headers()["strict-transport-security"]).toBeUndefined();
  });
});

test.describe("after sign-in, only our own pages", () => {
  const hostile = "/%09/evil.example/";

  test("a signed-in visitor of /sign-in?next=<hostile> lands on /", async ({ page, baseURL }) => {
    await page.goto(`/sign-in?next=${hostile}`);
    await expect(page).toHaveURL(`${baseURL}/`);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  });

  test("signing in through the form with next=<hostile> lands on /", async ({ browser, baseURL }) => {
    const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
    const page = await context.newPage();
    await page.goto(`/sign-in?next=${hostile}`);
    await page.locator("html[data-hydrated='true']").waitFor({ state: "attached" });
    await page.getByLabel("E-mail").fill("admin@demo.bulkhead.local");
    await page.getByLabel("Password").fill("bulkhead-demo-password");
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page).toHaveURL(`${baseURL}/`);
    await context.close();
  });

  test("CR/LF, non-ASCII and overlong next values answer a page, never a 500", async ({ request }) => {
    for (const next of ["%0d%0aSet-Cookie:%20x=1", "/gr%C3%BC%C3%9Fe", "/%E0%A4%A", `/${"a".repeat(5000)}`, "%00"]) {
      const signedOut = await request.get(`/sign-in?next=${next}`, { headers: { cookie: "" }, maxRedirects: 0 });
      expect(signedOut.status(), next).toBeLessThan(500);
    }
  });
});

test.describe("methods and origins", () => {
  test("TRACE is refused (405) on pages and API routes", async ({ request }) => {
    for (const url of ["/", "/api/kpis", "/sign-in"]) {
      const answer = await request.fetch(url, { method: "TRACE" });
      expect(answer.status(), url).toBe(405);
    }
  });

  test("malformed and foreign Origin headers on a write are refused with 403, never 500", async ({ request }) => {
    for (const origin of ["null", "http://[::1", "http://127.0.0.1:1@evil.example", "https://evil.example", "http://localhost/x", "\t"]) {
      const answer = await request.post("/api/runs/collect", { headers: { origin, "content-type": "application/json" }, data: "{}" });
      expect(answer.status(), origin).toBe(403);
    }
  });
});
