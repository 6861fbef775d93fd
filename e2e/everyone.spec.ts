import type { Page } from "@playwright/test";
import { expect, expectAccessible, saveScreenshot, test } from "./fixtures";

// For everyone: phones (390 px) get a menu, cards and no sideways page scroll; the header does not
// jump when its filter options load (CLS measured in the browser); colour is never the only cue.

const PHONE = { width: 390, height: 844 };

/** Sum of layout-shift entries without recent input, from navigation until `settleMs` after load (web-vitals' definition, unsessioned). */
async function measureCls(page: Page, url: string, settleMs = 2_500): Promise<number> {
  await page.addInitScript(() => {
    (window as unknown as { __cls: number }).__cls = 0;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries() as unknown as { value: number; hadRecentInput: boolean }[]) {
        if (!entry.hadRecentInput) (window as unknown as { __cls: number }).__cls += entry.value;
      }
    }).observe({ type: "layout-shift", buffered: true });
  });
  await page.goto(url);
  await page.waitForLoadState("networkidle");
  await page.waitForTimeout(settleMs);
  return page.evaluate(() => (window as unknown as { __cls: number }).__cls);
}

test.describe("Layout stability", () => {
  for (const url of ["/", "/findings", "/trends", "/clusters"]) {
    test(`${url}: cumulative layout shift under 0.02 at 1440 px`, async ({ page }) => {
      await page.setViewportSize({ width: 1440, height: 900 });
      const cls = await measureCls(page, url);
      console.log(`CLS ${url} @1440: ${cls.toFixed(4)}`);
      expect(cls).toBeLessThan(0.02);
    });
  }
});

test.describe("Phones (390 px)", () => {
  test.use({ viewport: PHONE });

  for (const url of ["/", "/trends", "/clusters", "/findings", "/runs", "/settings", "/report"]) {
    test(`${url}: no horizontal page scroll`, async ({ page }) => {
      await page.goto(url);
      await page.waitForLoadState("networkidle");
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    });
  }

  test("navigation and filters sit behind the Menu button; lists are cards", async ({ page }) => {
    await page.goto("/findings");
    const nav = page.getByRole("navigation", { name: "Main" });
    await expect(nav).toBeHidden();
    await expect(page.getByRole("group", { name: "Filters" })).toBeHidden();
    await page.getByRole("button", { name: "Menu" }).click();
    await expect(nav).toBeVisible();
    await expect(page.getByRole("group", { name: "Filters" })).toBeVisible();
    await nav.getByRole("link", { name: "Clusters" }).click();
    await expect(page).toHaveURL(/\/clusters/);
    // Navigating closes the menu.
    await expect(nav).toBeHidden();
    const clusters = page.getByRole("list", { name: "Clusters table" });
    await expect(clusters.locator(":scope > li").first()).toBeVisible();
    await expect(page.getByRole("region", { name: "Clusters table" })).toBeHidden();

    await page.goto("/findings");
    const cards = page.getByRole("list", { name: "Findings table" }).locator(":scope > li");
    await expect(cards.first()).toBeVisible();
    await expect(cards.first().getByRole("link").first()).toHaveAttribute("href", /^\/findings\/\d+/);
    // The list's own filters fold behind one button too.
    await expect(page.getByRole("button", { name: /^Severity/ })).toBeHidden();
    await page.getByRole("button", { name: /^Filters/ }).click();
    await expect(page.getByRole("button", { name: /^Severity/ })).toBeVisible();
    await expectAccessible(page);
    await saveScreenshot(page, "findings-390");
  });
});

test.describe("Colour is never the only cue", () => {
  test("control squares carry ✓/✗ shapes; trend lines a marker shape each; no chart has two y-axes", async ({ page }) => {
    await page.goto("/clusters");
    const pips = page.getByRole("region", { name: "Clusters table" }).locator("tbody tr").first().getByRole("img");
    await expect(pips.locator("svg path").first()).toBeAttached();
    expect(await pips.locator(":scope > span").count()).toBe(await pips.locator(":scope > span svg").count());

    await page.goto("/trends?by=owner&range=365");
    await expect(page.locator(".recharts-line").first()).toBeVisible();
    const swatches = page.getByTestId("legend-item").locator("svg");
    const shapes = await swatches.evaluateAll((nodes) => nodes.map((node) => node.querySelector("circle, rect, polygon, g")?.outerHTML.split(" ")[0] ?? ""));
    expect(new Set(shapes.slice(0, 6)).size).toBeGreaterThanOrEqual(4);
    expect(await page.locator(".recharts-yAxis").count()).toBe(1);

    await page.goto("/clusters/1");
    await expect(page.getByRole("heading", { name: "Posture over time" })).toBeVisible();
    await expect(page.locator(".recharts-line").first()).toBeVisible();
    // Two small charts, one y-axis each.
    const axesPerChart = await page.locator(".recharts-wrapper").evaluateAll((charts) => charts.map((chart) => chart.querySelectorAll(".recharts-yAxis").length));
    expect(axesPerChart.every((count) => count === 1)).toBe(true);
  });
});
