import { execFile } from "node:child_process";
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { expect, test as base, type Page, type Response } from "@playwright/test";

export const E2E_DATA_DIR = process.env.E2E_DATA_DIR ?? ".bulkhead-e2e";
const OUTPUT_DIR = process.env.E2E_OUTPUT_DIR ?? "test-results";

/** Runs the `bulkhead` CLI against the store the e2e server uses. */
export function runBulkhead(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [path.resolve("bin/bulkhead.mjs"), ...args],
      { env: { ...process.env, BULKHEAD_DATA_DIR: E2E_DATA_DIR, DATABASE_URL: process.env.E2E_DATABASE_URL ?? "", NO_COLOR: "1" } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** Fails on serious or critical accessibility violations, listing them. */
export async function expectAccessible(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  const serious = results.violations.filter((violation) => violation.impact === "serious" || violation.impact === "critical");
  expect(
    serious.map((violation) => `${violation.id}: ${violation.help} (${violation.nodes.map((node) => node.target.join(" ")).slice(0, 3).join(", ")})`),
  ).toEqual([]);
}

/** A full-page screenshot kept as a test artifact under test-results/screenshots/. */
export async function saveScreenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(OUTPUT_DIR, "screenshots", `${name}.png`), fullPage: true });
}

/** Where auth.setup.ts keeps each role's signed-in session. */
export function storageStateFor(role: "viewer" | "finops" | "security" | "admin"): string {
  return path.join(OUTPUT_DIR, ".auth", `${role}.json`);
}

/** After a full page load, wait until React has hydrated it: input typed before then is lost. */
async function waitForHydration(page: Page, response: Response | null): Promise<void> {
  if (!response || !(response.headers()["content-type"] ?? "").includes("text/html")) return;
  await page.locator("html[data-hydrated='true']").waitFor({ state: "attached" });
}

export const test = base.extend({
  page: async ({ page }, provide) => {
    const goto = page.goto.bind(page);
    const reload = page.reload.bind(page);
    page.goto = async (url, options) => {
      const response = await goto(url, options);
      await waitForHydration(page, response);
      return response;
    };
    page.reload = async (options) => {
      const response = await reload(options);
      await waitForHydration(page, response);
      return response;
    };
    await provide(page);
  },
});
export { expect };
