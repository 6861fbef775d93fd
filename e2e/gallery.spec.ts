import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import type { Page } from "@playwright/test";
import { expect, saveScreenshot, test } from "./fixtures";

// Every dashboard page at a laptop (1440 px) and a phone (390 px) width: it renders its heading, shows
// no error state, does not scroll sideways, and leaves a full-page screenshot in
// test-results/screenshots/gallery-<page>-<width>.png for a person to look at. Pages are discovered
// from app/(dashboard), so a new page is in the gallery without editing this file.

const WIDTHS = [
  { width: 1440, height: 900 },
  { width: 390, height: 844 },
];

/** Static page routes under app/(dashboard) ("/" included); dynamic segments are visited through a list. */
function staticPages(): string[] {
  const root = path.join(process.cwd(), "app", "(dashboard)");
  const found: string[] = [];
  const walk = (dir: string, route: string) => {
    for (const entry of readdirSync(dir)) {
      const full = path.join(dir, entry);
      if (entry === "page.tsx") found.push(route || "/");
      else if (statSync(full).isDirectory() && !entry.startsWith("_") && !entry.startsWith("[") && !entry.startsWith("(")) walk(full, `${route}/${entry}`);
    }
  };
  walk(root, "");
  return found.sort();
}

/** The first detail link a list page offers (a cluster, a finding). */
async function firstDetailHref(page: Page, list: string, pattern: RegExp): Promise<string> {
  await page.setViewportSize(WIDTHS[0]);
  await page.goto(list);
  const link = page.locator(`main a[href^="${list}/"]`).first();
  await expect(link).toBeVisible();
  const href = await link.getAttribute("href");
  expect(href).toMatch(pattern);
  return href!;
}

async function expectPageWhole(page: Page, url: string, width: number): Promise<void> {
  await page.goto(url);
  await page.waitForLoadState("networkidle");
  await expect(page.getByRole("heading", { level: 1 }).first()).toBeVisible();
  // No error boundary or failed widget anywhere on the page.
  await expect(page.getByText(/something went wrong|could not load/i)).toHaveCount(0);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
}

const slug = (url: string) => (url === "/" ? "overview" : url.slice(1).replace(/[^a-z0-9]+/gi, "-"));

test.describe("Gallery: every page at 1440 px and 390 px", () => {
  test.describe.configure({ timeout: 180_000 });

  test("the pages found in app/(dashboard) include the ones the README lists", () => {
    expect(staticPages()).toEqual(expect.arrayContaining(["/", "/clusters", "/findings", "/trends", "/runs", "/settings", "/report", "/compliance"]));
  });

  for (const url of staticPages()) {
    test(`${url}`, async ({ page }) => {
      for (const viewport of WIDTHS) {
        await page.setViewportSize(viewport);
        await expectPageWhole(page, url, viewport.width);
        await saveScreenshot(page, `gallery-${slug(url)}-${viewport.width}`);
      }
    });
  }

  for (const [list, pattern, name] of [
    ["/clusters", /^\/clusters\/[^/?#]+$/, "cluster-detail"],
    ["/findings", /^\/findings\/[^/?#]+$/, "finding-detail"],
  ] as const) {
    test(`${list}/[id]`, async ({ page }) => {
      const href = await firstDetailHref(page, list, pattern);
      for (const viewport of WIDTHS) {
        await page.setViewportSize(viewport);
        await expectPageWhole(page, href, viewport.width);
        await saveScreenshot(page, `gallery-${name}-${viewport.width}`);
      }
    });
  }
});
