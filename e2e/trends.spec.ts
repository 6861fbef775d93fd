import { readFile } from "node:fs/promises";
import type { Page } from "@playwright/test";
import Papa from "papaparse";
import type { KpiReport } from "../lib/kpi/get-kpis";
import { expect, expectAccessible, runBulkhead, saveScreenshot, storageStateFor, test } from "./fixtures";

// The webServer fills its store with the deterministic demo estate (60 clusters, 200 days).

const chart = (page: Page) => page.getByTestId("trend-chart");
const table = (page: Page) => page.getByTestId("trend-table");
const legend = (page: Page) => page.getByTestId("legend-item");
const options = (page: Page) => page.getByRole("group", { name: "Chart options" });
// A drawn line. Not simply the first: a group whose history is one day (another spec's estate seeded
// today) is one point, drawn by its marker (in a layer of its own) and an empty path.
const drawnLine = (page: Page) => page.locator(".recharts-line").filter({ visible: true }).first();
// The chart as the page first shows it, drawn without the chart library (one path per line).
const staticLines = (page: Page) => chart(page).locator("[data-static-line]");

/** Points at the chart: the drawn (Recharts) chart replaces the static one, for its tooltip. */
async function pointAtChart(page: Page) {
  await chart(page).locator("figure").first().hover();
}

async function openTrends(page: Page, search = "") {
  await page.goto(`/trends${search}`);
  await expect(table(page).locator("tbody tr").first()).toBeVisible();
}

/** The table as text: header cells, then one array per row; "–" (no data) as the CSV's empty cell. */
async function readTable(page: Page): Promise<string[][]> {
  const header = await table(page).locator("thead th").evaluateAll((cells) => cells.map((cell) => (cell as HTMLElement).innerText.trim()));
  const rows = await table(page)
    .locator("tbody tr")
    .evaluateAll((rows) => rows.map((row) => [...row.querySelectorAll("th, td")].map((cell) => (cell.querySelector("[aria-hidden]")?.textContent === "–" ? "" : (cell as HTMLElement).innerText.trim()))));
  return [header, ...rows];
}

test.describe("Trends", () => {
  test("default view: 90 daily rows for all clusters; today's row equals `bulkhead kpis` now", async ({ page }) => {
    await openTrends(page);
    await expect(page.getByRole("heading", { level: 1, name: "Trends" })).toBeVisible();
    await expect(chart(page)).toHaveAttribute("data-range", "90");
    await expect(legend(page)).toHaveCount(1);
    await expect(legend(page).first()).toContainText("All clusters");
    await expect(table(page).locator("tbody tr")).toHaveCount(90);
    await expect(table(page).locator("thead th").first()).toHaveText("Day (UTC)");

    const result = await runBulkhead(["kpis", "--json"]);
    expect(result.code, result.stderr).toBe(0);
    const now = (JSON.parse(result.stdout) as KpiReport).groups[0];
    const [, firstRow] = await readTable(page);
    expect(firstRow[0]).toBe(new Date().toISOString().slice(0, 10));
    // No run lands after now, so the figure at the end of today is the figure now.
    expect(firstRow[1]).toBe(now.percentEnabled!.toFixed(1));
  });

  test("range, split and KPI controls update the URL, the chart and the table", async ({ page }) => {
    await openTrends(page);
    await options(page).getByRole("radio", { name: "180 days" }).check();
    await expect(page).toHaveURL(/[?&]range=180/);
    await expect(chart(page)).toHaveAttribute("data-range", "180");
    // A longer range keeps the granularity: still one row per day.
    await expect(table(page).locator("thead th").first()).toHaveText("Day (UTC)");
    await expect(table(page).locator("tbody tr")).toHaveCount(180);
    await expect(options(page).getByRole("radio", { name: "Daily" })).toBeChecked();
    await options(page).getByRole("radio", { name: "Weekly" }).check();
    await expect(page).toHaveURL(/[?&]rows=weekly/);
    await expect(table(page).locator("thead th").first()).toHaveText("Week ending (UTC)");
    await expect(table(page).locator("tbody tr")).toHaveCount(26);

    await options(page).getByRole("radio", { name: "Owner" }).check();
    await expect(page).toHaveURL(/[?&]by=owner/);
    await expect(chart(page)).toHaveAttribute("data-by", "owner");
    await expect(legend(page)).toHaveCount(7);
    await expect(legend(page).last()).toContainText(/Other \(\d+ owners\)/);
    await expect(table(page).locator("thead th")).toHaveCount(8);

    await options(page).getByRole("radio", { name: "MTTR" }).check();
    await expect(page).toHaveURL(/[?&]kpi=mttr/);
    await expect(chart(page)).toHaveAttribute("data-kpi", "mttr");
    await expect(table(page).locator("thead th").nth(1)).toHaveText(/\((hours|days)\)$/);

    await options(page).getByRole("radio", { name: "Daily" }).check();
    await expect(page).not.toHaveURL(/[?&]rows=/);
    await expect(table(page).locator("tbody tr")).toHaveCount(180);

    // Reloading the address shows the same view.
    await page.reload();
    await expect(chart(page)).toHaveAttribute("data-kpi", "mttr");
    await expect(chart(page)).toHaveAttribute("data-by", "owner");
    await expect(table(page).locator("tbody tr")).toHaveCount(180);
  });

  test("the radio groups work from the keyboard", async ({ page }) => {
    await openTrends(page);
    await options(page).getByRole("radio", { name: "90 days" }).focus();
    await page.keyboard.press("ArrowRight");
    await expect(options(page).getByRole("radio", { name: "180 days" })).toBeChecked();
    await expect(page).toHaveURL(/[?&]range=180/);
  });

  test("the CSV holds every group (not only the top six) after a line stating KPI, split, range, scope, definition and time", async ({ page, request }) => {
    await openTrends(page, "?by=owner&kpi=pass-rate&range=30");
    await expect(legend(page)).toHaveCount(7);
    const shown = await readTable(page);
    const all = (await (await request.get(`/api/kpis/trend?by=owner&range=30&to=${new Date().toISOString().slice(0, 10)}&groups=all`)).json()) as { groups: { label: string }[] };
    expect(all.groups.length).toBeGreaterThan(6);
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download CSV" }).click()]);
    expect(download.suggestedFilename()).toMatch(/^bulkhead_pass-rate_every-owner_30d_daily_\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = Papa.parse<string[]>(await readFile((await download.path())!, "utf8"), { skipEmptyLines: true }).data;
    expect(csv[0]).toHaveLength(1);
    expect(csv[0][0]).toMatch(/^Bulkhead trend: Audit pass rate \(%\); every owner \(\d+\); daily \d{4}-\d{2}-\d{2} to \d{4}-\d{2}-\d{2} \(UTC\); scope: all subscriptions and owners; definition: Passed ÷ .*; generated \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC by admin@demo\.bulkhead\.local$/);
    const [header, ...rows] = csv.slice(1);
    expect(header).toEqual(["Day (UTC)", ...all.groups.map((group) => `${group.label} (%)`)]);
    expect(rows).toHaveLength(30);
    expect(rows.map((row) => row[0])).toEqual(shown.slice(1).map((row) => row[0]));
    // The groups the table shows on their own have the same figures in the file.
    for (const [index, title] of shown[0].entries()) {
      const column = header.indexOf(title);
      if (index === 0 || column < 0) continue;
      expect(rows.map((row) => row[column])).toEqual(shown.slice(1).map((row) => row[index]));
    }
  });

  test("pick the groups shown, toggle lines from the legend, see who is in Other; a year's x-axis shows the year and where history starts", async ({ page }) => {
    await openTrends(page, "?by=owner&range=365");
    await expect(page.getByText(/^History starts /)).toBeVisible();
    // The static chart's day labels carry the year too, and so do the drawn chart's.
    await expect(chart(page).locator("[data-static-chart] span").filter({ visible: true, hasText: /^\d{1,2} \w{3} \d{4}$/ }).first()).toBeVisible();
    await pointAtChart(page);
    // Recharts draws the tick labels in a layer of their own, apart from the axis line's group.
    await expect(page.locator(".recharts-xAxis-tick-labels .recharts-cartesian-axis-tick-value").first()).toHaveText(/\d{1,2} \w{3} \d{4}/);
    // Who is in "Other".
    const other = legend(page).last();
    await other.getByText("who?").click();
    const members = other.getByRole("list", { name: "In Other" }).locator("li");
    expect(await members.count()).toBeGreaterThan(1);
    // A legend entry hides and shows its line.
    const lines = page.locator(".recharts-line");
    const before = await lines.count();
    await legend(page).first().getByRole("button").click();
    await expect(legend(page).first().getByRole("button")).toHaveAttribute("aria-pressed", "false");
    await expect(lines).toHaveCount(before - 1);
    await legend(page).first().getByRole("button").click();
    await expect(lines).toHaveCount(before);
    // Pick two owners: two lines and Other.
    await page.getByRole("button", { name: /^Owners shown/ }).click();
    const boxes = page.getByRole("group", { name: "Owners shown" }).getByRole("checkbox");
    await boxes.nth(6).check();
    await boxes.nth(7).check();
    await page.keyboard.press("Escape");
    await expect(page).toHaveURL(/[?&]groups=/);
    await expect(legend(page)).toHaveCount(3);
    await expect(legend(page).last()).toContainText(/Other \(\d+ owners\)/);
    await saveScreenshot(page, "trends-picked");
  });

  test("the shell's filters narrow the trend and keep the view", async ({ page }) => {
    await openTrends(page, "?range=30&by=owner");
    const before = await legend(page).count();
    const owner = await page.getByRole("group", { name: "Filters" }).getByLabel("Owner").locator("option").nth(1).getAttribute("value");
    await page.getByRole("group", { name: "Filters" }).getByLabel("Owner").selectOption(owner!);
    await expect(page).toHaveURL(new RegExp(`[?&]owner=${encodeURIComponent(owner!)}`));
    await expect(page).toHaveURL(/[?&]range=30/);
    await expect(page).toHaveURL(/[?&]by=owner/);
    await expect(legend(page)).toHaveCount(1);
    expect(before).toBeGreaterThan(1);
    await expect(legend(page).first()).toContainText(owner!);
  });

  test("passes an accessibility scan and is usable at 768 px", async ({ page }) => {
    await openTrends(page, "?by=owner");
    await expect(staticLines(page).first()).toBeVisible();
    await expectAccessible(page);
    await saveScreenshot(page, "trends-static");
    await pointAtChart(page);
    await expect(drawnLine(page)).toBeVisible();
    await expectAccessible(page);
    await saveScreenshot(page, "trends");

    await page.setViewportSize({ width: 768, height: 1024 });
    await expect(drawnLine(page)).toBeVisible();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(768);
    await saveScreenshot(page, "trends-768");
  });

  test("the chart library loads only when a chart is pointed at (never on the Overview; Trends and Migration draw theirs first without it); a chart that cannot load it keeps its drawing, says so and tries again", async ({ page }) => {
    // Recharts' chunk is the one that draws a "recharts-wrapper".
    const isChartChunk = (body: string) => body.includes("recharts-wrapper");
    let loaded: Promise<boolean>[] = [];
    page.on("response", (response) => {
      if (/\/_next\/static\/chunks\/.+\.js$/.test(new URL(response.url()).pathname)) loaded.push(response.text().then(isChartChunk, () => false));
    });
    await page.goto("/");
    await expect(page.locator("[data-skeleton]")).toHaveCount(0);
    expect((await Promise.all(loaded)).some(Boolean)).toBe(false);

    // Trends shows its chart, one static line per group shown, without the library.
    loaded = [];
    await openTrends(page, "?by=owner");
    await expect(staticLines(page)).toHaveCount(await legend(page).count());
    await page.waitForLoadState("networkidle");
    expect((await Promise.all(loaded)).some(Boolean)).toBe(false);
    // A legend entry hides its static line too.
    await legend(page).first().getByRole("button").click();
    await expect(staticLines(page)).toHaveCount((await legend(page).count()) - 1);
    await legend(page).first().getByRole("button").click();

    // The chunk does not arrive: the static chart stays (the figures are all there) and says its
    // details could not be loaded; trying again draws the chart.
    let block = true;
    await page.route(/\/_next\/static\/chunks\/.+\.js$/, async (route) => {
      const response = await route.fetch();
      if (block && isChartChunk(await response.text())) await route.abort("connectionreset");
      else await route.fulfill({ response });
    });
    await pointAtChart(page);
    const detailsFailed = page.getByRole("alert").filter({ hasText: "The chart's details could not be loaded" });
    await expect(detailsFailed).toBeVisible();
    await expect(staticLines(page).first()).toBeVisible();
    block = false;
    await detailsFailed.getByRole("button", { name: "Try again" }).click();
    await expect(drawnLine(page)).toBeVisible();
    await expect(detailsFailed).toHaveCount(0);

    // The migration burn-down too: its stacked bands are drawn without the library, which loads when
    // the chart is pointed at.
    loaded = [];
    await page.goto("/migration");
    const burnDown = page.getByRole("img", { name: /Clusters by policy engine at the end of each day/ });
    await expect(burnDown.locator("[data-static-band]").first()).toBeVisible();
    await expect(burnDown.locator("[data-static-line]")).toHaveCount(5);
    await page.waitForLoadState("networkidle");
    expect((await Promise.all(loaded)).some(Boolean)).toBe(false);
    await burnDown.scrollIntoViewIfNeeded();
    await saveScreenshot(page, "migration-burn-down-static");
    await burnDown.hover();
    await expect(page.locator(".recharts-area").first()).toBeVisible();
    await saveScreenshot(page, "migration-burn-down-drawn");
    expect((await Promise.all(loaded)).some(Boolean)).toBe(true);
  });

  test("the trend API answers 400 naming the parameter", async ({ page }) => {
    await page.goto("/trends");
    for (const [url, parameter] of [
      ["/api/kpis/trend?range=7", "range"],
      ["/api/kpis/trend?by=cluster", "by"],
      ["/api/kpis/trend?to=yesterday", "to"],
    ] as const) {
      const response = await page.request.get(url);
      expect(response.status(), url).toBe(400);
      expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(new RegExp(`^${parameter}: `));
    }
  });
});

test.describe("Trends as a viewer", () => {
  test.use({ storageState: storageStateFor("viewer") });

  test("sees the figures but no CSV export (FinOps and up)", async ({ page }) => {
    await openTrends(page);
    await expect(page.getByRole("button", { name: "Download CSV" })).toHaveCount(0);
    await expect(page.getByText("CSV export is for the FinOps, security and admin roles.")).toBeVisible();
  });
});
