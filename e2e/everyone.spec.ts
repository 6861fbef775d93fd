import type { Page } from "@playwright/test";
import { expect, expectAccessible, saveScreenshot, test } from "./fixtures";

// For everyone: phones (390 px) get a menu, cards and no sideways page scroll; the header does not
// jump when its filter options load (CLS measured in the browser); colour is never the only cue.

const PHONE = { width: 390, height: 844 };

type Shift = { value: number; at: number; sources: string[] };

/**
 * Sum of layout-shift entries without recent input, from navigation until `settleMs` after load
 * (web-vitals' definition, unsessioned). Each shift keeps what moved, so a failure says which element
 * to fix rather than only a number.
 */
async function measureCls(page: Page, url: string, settleMs = 2_500): Promise<{ cls: number; shifts: Shift[] }> {
  // A slow client (Lighthouse's 4x CPU slowdown): the browser then paints the streamed shell before
  // the late parts arrive, as it does on a busy laptop; on a fast machine a shift can hide between two frames.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: 4 });
  await page.addInitScript(() => {
    const w = window as unknown as { __cls: number; __shifts: Shift[] };
    w.__cls = 0;
    w.__shifts = [];
    const describe = (node: Node | null): string => {
      if (!(node instanceof Element)) return node?.nodeName ?? "?";
      const label = node.getAttribute("aria-label") ?? node.getAttribute("data-testid") ?? (node.textContent ?? "").trim().slice(0, 40);
      return `${node.tagName.toLowerCase()}${node.className && typeof node.className === "string" ? "." + node.className.split(/\s+/).slice(0, 3).join(".") : ""} "${label}"`;
    };
    type Entry = { value: number; hadRecentInput: boolean; startTime: number; sources?: { node: Node | null; previousRect: DOMRectReadOnly; currentRect: DOMRectReadOnly }[] };
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries() as unknown as Entry[]) {
        if (entry.hadRecentInput) continue;
        w.__cls += entry.value;
        w.__shifts.push({
          value: entry.value,
          at: Math.round(entry.startTime),
          sources: (entry.sources ?? []).map((s) => `${describe(s.node)} ${Math.round(s.previousRect.y)}+${Math.round(s.previousRect.height)} -> ${Math.round(s.currentRect.y)}+${Math.round(s.currentRect.height)}`),
        });
      }
    }).observe({ type: "layout-shift", buffered: true });
  });
  await page.goto(url);
  await page.waitForLoadState("networkidle");
  await page.waitForTimeout(settleMs);
  return page.evaluate(() => {
    const w = window as unknown as { __cls: number; __shifts: Shift[] };
    return { cls: w.__cls, shifts: w.__shifts };
  });
}

test.describe("Layout stability", () => {
  for (const url of ["/", "/findings", "/trends", "/clusters"]) {
    test(`${url}: cumulative layout shift under 0.02 at 1440 px`, async ({ page }) => {
      await page.setViewportSize({ width: 1440, height: 900 });
      const { cls, shifts } = await measureCls(page, url);
      console.log(`CLS ${url} @1440: ${cls.toFixed(4)}`);
      for (const shift of shifts) console.log(`  shift ${shift.value.toFixed(4)} at ${shift.at} ms: ${shift.sources.join("; ")}`);
      expect(cls).toBeLessThan(0.02);
    });
  }
});

test.describe("The streamed shell", () => {
  // Without scripts the browser shows what it paints before the streamed parts are swapped in: every
  // Suspense fallback. The header must already have its final height then, or the whole page moves
  // down when the late parts arrive (what a fast machine can hide from the CLS figures above).
  test.use({ viewport: { width: 1440, height: 900 } });
  for (const url of ["/", "/clusters"]) {
    test(`${url}: the header is as tall before the streamed parts arrive as after`, async ({ browser, page }) => {
      await page.goto(url);
      await page.waitForLoadState("networkidle");
      const final = await page.locator("header").boundingBox();
      const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1440, height: 900 }, storageState: await page.context().storageState() });
      try {
        const first = await context.newPage();
        await first.goto(url);
        await expect(first.getByRole("navigation", { name: "Main" })).toBeVisible();
        const early = await first.locator("header").boundingBox();
        expect(early?.height).toBe(final?.height);
      } finally {
        await context.close();
      }
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
    // Pointed at, the chart is drawn with its tooltip (before that it is a static drawing).
    await page.getByTestId("trend-chart").locator("figure").first().hover();
    await expect(page.locator(".recharts-line").first()).toBeVisible();
    const swatches = page.getByTestId("legend-item").locator("svg");
    const shapes = await swatches.evaluateAll((nodes) => nodes.map((node) => node.querySelector("circle, rect, polygon, g")?.outerHTML.split(" ")[0] ?? ""));
    expect(new Set(shapes.slice(0, 6)).size).toBeGreaterThanOrEqual(4);
    expect(await page.locator(".recharts-yAxis").count()).toBe(1);

    await page.goto("/clusters/1");
    await expect(page.getByRole("heading", { name: "Posture over time" })).toBeVisible();
    // Drawn statically first: a step line each, and one axis of ticks per chart.
    await expect(page.locator("[data-static-line]")).toHaveCount(2);
    const ticksPerChart = await page.locator("[data-static-chart]").evaluateAll((charts) => charts.map((chart) => chart.querySelectorAll(":scope > div > span.right-full").length));
    expect(ticksPerChart.length).toBe(2);
    expect(ticksPerChart.every((count) => count >= 4)).toBe(true);
    await page.getByRole("img", { name: /^Posture of the cluster over/ }).hover();
    await expect(page.locator(".recharts-line").first()).toBeVisible();
    // Two small charts, one y-axis each.
    const axesPerChart = await page.locator(".recharts-wrapper").evaluateAll((charts) => charts.map((chart) => chart.querySelectorAll(".recharts-yAxis").length));
    expect(axesPerChart.every((count) => count === 1)).toBe(true);
  });
});
