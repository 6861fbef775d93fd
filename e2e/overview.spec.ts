import type { Page } from "@playwright/test";
import { formatHours, formatInteger, formatPercent } from "../lib/format";
import type { KpiGroup, KpiReport } from "../lib/kpi/get-kpis";
import { expect, expectAccessible, runBulkhead, saveScreenshot, test } from "./fixtures";

// The webServer fills its store with the deterministic demo estate (60 clusters, 200 days).

const card = (page: Page, id: string) => page.getByTestId(`kpi-card-${id}`);
const value = (page: Page, id: string) => page.getByTestId(`kpi-value-${id}`);

async function openOverview(page: Page, search = ""): Promise<string> {
  await page.goto(`/${search}`);
  await expect(value(page, "percentEnabled")).toBeVisible();
  const asOf = await page.getByTestId("as-of").getAttribute("datetime");
  expect(asOf).toMatch(/^\d{4}-\d{2}-\d{2}T/);
  return asOf!;
}

/** `bulkhead kpis --json` at the page's own time, so both count the same history. */
async function cliKpis(asOf: string, by?: "owner" | "subscription"): Promise<KpiReport> {
  const result = await runBulkhead(["kpis", "--as-of", asOf, "--json", ...(by ? ["--by", by] : [])]);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as KpiReport;
}

async function expectCardsToShow(page: Page, group: KpiGroup) {
  await expect(value(page, "percentEnabled")).toHaveText(formatPercent(group.percentEnabled));
  await expect(card(page, "percentEnabled")).toContainText(`${formatInteger(group.clustersEnabled)} of ${formatInteger(group.clusters)} clusters`);
  await expect(value(page, "mttrHours")).toHaveText(formatHours(group.mttrHours));
  if (group.resolvedFindings > 0) {
    await expect(card(page, "mttrHours")).toContainText(`Median ${formatHours(group.mttrMedianHours)} · n = ${formatInteger(group.resolvedFindings)} resolved in 30 days`);
  }
  await expect(card(page, "mttrHours")).toContainText(`${formatInteger(group.openFindings)} open`);
  await expect(value(page, "allowAnyRulesProduction")).toHaveText(formatInteger(group.allowAnyRulesProduction));
  await expect(value(page, "auditPassRate")).toHaveText(formatPercent(group.auditPassRate));
  await expect(card(page, "auditPassRate")).toContainText(`${formatInteger(group.controlsPassed)} of ${formatInteger(group.controlsPassed + group.controlsFailed)} control results passed`);
  await expect(value(page, "lateralExposure")).toHaveText(formatPercent(group.lateralExposure));
}

test.describe("Overview", () => {
  test("KPI cards show what `bulkhead kpis --json` says at the page's time, with the change against 30 days earlier", async ({ page }) => {
    const asOf = await openOverview(page);
    const report = await cliKpis(asOf);
    expect(report.asOf).toBe(asOf);
    await expectCardsToShow(page, report.groups[0]);

    // The change is said in words as well as colour, and matches the CLI 30 days earlier.
    const earlier = (await cliKpis(new Date(new Date(asOf).getTime() - 30 * 86_400_000).toISOString())).groups[0];
    const now = report.groups[0];
    const change = Math.round(((now.percentEnabled ?? 0) - (earlier.percentEnabled ?? 0)) * 10) / 10;
    const delta = card(page, "percentEnabled").locator("[data-direction]");
    await expect(delta).toHaveAttribute("data-direction", change > 0 ? "better" : change < 0 ? "worse" : "same");
    if (change !== 0) await expect(delta).toContainText(`${Math.abs(change).toFixed(1)} pp`);
    await expect(delta).toContainText(change > 0 ? "better" : change < 0 ? "worse" : "No change");
    await expect(delta).toContainText(`vs ${formatPercent(earlier.percentEnabled)}`);
    // For allow-any rules lower is better.
    const rules = now.allowAnyRulesProduction - earlier.allowAnyRulesProduction;
    if (rules !== 0) await expect(card(page, "allowAnyRulesProduction").locator("[data-direction]")).toHaveAttribute("data-direction", rules < 0 ? "better" : "worse");
  });

  test("the owner filter changes the URL and the figures, which match the CLI's group; both filters apply together", async ({ page }) => {
    const allAsOf = await openOverview(page);
    const all = (await cliKpis(allAsOf)).groups[0];
    const filters = page.getByRole("group", { name: "Filters" });

    const owner = await filters.getByLabel("Owner").locator("option").nth(1).getAttribute("value");
    await filters.getByLabel("Owner").selectOption(owner!);
    await expect(page).toHaveURL(new RegExp(`[?&]owner=${encodeURIComponent(owner!)}`));
    await expect(page.getByTestId("as-of")).not.toHaveAttribute("datetime", allAsOf);
    const ownerAsOf = (await page.getByTestId("as-of").getAttribute("datetime"))!;
    const group = (await cliKpis(ownerAsOf, "owner")).groups.find((g) => g.key === owner)!;
    expect(group.clusters).toBeLessThan(all.clusters);
    await expectCardsToShow(page, group);
    await expect(page.getByText(`Filtered to owner ${owner}`)).toBeVisible();

    const subscription = await filters.getByLabel("Subscription").locator("option").nth(1).getAttribute("value");
    await filters.getByLabel("Subscription").selectOption(subscription!);
    await expect(page).toHaveURL(new RegExp(`[?&]subscription=${subscription}`));
    await expect(page).toHaveURL(new RegExp(`[?&]owner=${encodeURIComponent(owner!)}`));
    await expect(page.getByTestId("as-of")).not.toHaveAttribute("datetime", ownerAsOf);
    const bothAsOf = (await page.getByTestId("as-of").getAttribute("datetime"))!;
    const api = await page.request.get(`/api/kpis?asOf=${encodeURIComponent(bothAsOf)}&owner=${encodeURIComponent(owner!)}&subscription=${subscription}`);
    expect(api.status()).toBe(200);
    const both = ((await api.json()) as KpiReport).groups[0];
    expect(both.clusters).toBeLessThanOrEqual(group.clusters);
    if (both.clusters > 0) await expectCardsToShow(page, both);
    else await expect(page.getByText("No clusters match these filters at this time")).toBeVisible();
  });

  test("risk, production clusters without an engine, advisories and the last run", async ({ page }) => {
    await openOverview(page);
    const freshness = page.getByRole("region", { name: "Data freshness" });
    await expect(freshness).toContainText("Last successful run");
    // The demo's last run is today's 02:00 UTC or the day before: never stale.
    await expect(freshness).toHaveAttribute("data-stale", "false");
    await expect(freshness).toContainText(/Clusters seen\s*\d+ of \d+/);
    await expect(freshness).toContainText(/In-cluster coverage\s*\d+\.\d%/);

    const risk = page.getByRole("region", { name: "Where the risk sits" });
    const owners = risk.getByRole("table", { name: "By owner" });
    await expect(owners.locator("tbody tr").first()).toBeVisible();
    const failing = (await owners.locator("tbody tr td:nth-child(2) span.font-semibold").allInnerTexts()).map(Number);
    expect(failing).toEqual([...failing].sort((a, b) => b - a));
    await expect(risk.getByRole("table", { name: "By subscription" }).locator("tbody tr").first()).toBeVisible();

    const unprotected = page.getByRole("region", { name: "Production clusters with no policy engine", exact: true });
    const firstLink = unprotected.getByRole("link").first();
    await expect(firstLink).toHaveAttribute("href", /^\/clusters\/\d+$/);
    const advisories = page.getByRole("region", { name: "Advisories" });
    // One card per advisory of rules v2 (ADVISORY_IDS), counted or not.
    await expect(advisories.locator("[data-testid^=advisory-]")).toHaveCount(9);
    // Who owns the overdue risk (the demo has findings open for months): SLA breaches, linked to their list.
    const overdue = page.getByRole("region", { name: "SLA breaches by owner" });
    await expect(overdue).toContainText(/\d+ open findings? past their SLA due date/);
    await expect(overdue.getByRole("link", { name: /All SLA breaches/ })).toHaveAttribute("href", /^\/findings\?.*sla=breached/);

    const href = (await firstLink.getAttribute("href"))!;
    await firstLink.click();
    await expect(page).toHaveURL(new RegExp(`${href}$`));
  });

  test("the page carries the Overview's answer once, though four widgets read it (issue 20)", async ({ page }) => {
    const response = await page.request.get("/");
    expect(response.status()).toBe(200);
    const html = await response.text();
    // A key only the Overview's answer has, as the page's RSC payload (a JS string) spells it.
    expect(html.split('unprotectedProduction\\":').length - 1).toBe(1);
    // The widgets that share it still show it once hydrated.
    await openOverview(page);
    await expect(page.getByRole("region", { name: "Production clusters with no policy engine", exact: true })).toBeVisible();
    await expect(page.getByRole("region", { name: "Advisories" }).locator("[data-testid^=advisory-]")).toHaveCount(9);
  });

  test("passes an accessibility scan; prints without the shell, the five cards side by side; usable at 768 px", async ({ page }) => {
    await openOverview(page);
    await expect(page.getByRole("region", { name: "Advisories" }).locator("[data-testid^=advisory-]").first()).toBeVisible();
    await expectAccessible(page);
    await saveScreenshot(page, "overview");

    await page.emulateMedia({ media: "print" });
    await expect(page.getByRole("navigation", { name: "Main" })).toBeHidden();
    await expect(page.getByRole("button", { name: "Print or save as PDF" })).toBeHidden();
    const tops = await Promise.all(["percentEnabled", "mttrHours", "allowAnyRulesProduction", "auditPassRate", "lateralExposure"].map(async (id) => (await card(page, id).boundingBox())!.y));
    expect(new Set(tops).size).toBe(1);
    await saveScreenshot(page, "overview-print");
    await page.emulateMedia({ media: "screen" });

    await page.setViewportSize({ width: 768, height: 1024 });
    await expect(value(page, "percentEnabled")).toBeVisible();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(768);
    await expectAccessible(page);
    await saveScreenshot(page, "overview-768");
  });

  test("an empty scope says so; a malformed filter shows the API's message with a retry", async ({ page }) => {
    await page.goto("/?owner=nobody-owns-this-cluster");
    await expect(page.getByText("No clusters match these filters at this time")).toBeVisible();

    await page.goto("/?subscription=zzz");
    const alert = page.getByRole("alert").first();
    await expect(alert).toContainText("subscription: must be a subscription id");
    await expect(alert.getByRole("button", { name: "Try again" })).toBeVisible();
  });

  test("the API answers 400 naming the parameter, and 401 without a session", async ({ page, playwright, baseURL }) => {
    await page.goto("/");
    for (const [url, parameter] of [
      ["/api/kpis?asOf=yesterday", "asOf"],
      ["/api/kpis?by=team", "by"],
      ["/api/overview?asOf=2026-01-01", "asOf"],
    ] as const) {
      const response = await page.request.get(url);
      expect(response.status(), url).toBe(400);
      const body = (await response.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe("bad-request");
      expect(body.error.message).toMatch(new RegExp(`^${parameter}: `));
    }
    // Without a session there is nothing to read.
    const anonymous = await playwright.request.newContext({ baseURL, storageState: { cookies: [], origins: [] } });
    expect((await anonymous.get("/api/overview")).status()).toBe(401);
    await anonymous.dispose();
  });
});
