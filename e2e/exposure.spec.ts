import { readFile } from "node:fs/promises";
import type { APIRequestContext, Page } from "@playwright/test";
import Papa from "papaparse";
import type { ClusterDetail } from "../lib/data/get-cluster-detail";
import type { ReachabilityExplanation } from "../lib/data/get-reachability-explanation";
import type { KpiReport } from "../lib/kpi/get-kpis";
import { formatPercent } from "../lib/format";
import { expect, expectAccessible, runBulkhead, saveScreenshot, test } from "./fixtures";

// Lateral exposure, the fifth KPI (docs/design.md §5), and who reaches whom on the cluster page
// (§4.5), on the demo estate the webServer records (60 clusters, 200 days, pods read from most).

const matrix = (page: Page) => page.getByTestId("reachability-matrix");
const explanation = (page: Page) => page.getByTestId("reachability-explanation");

async function kpisNow(): Promise<KpiReport> {
  const result = await runBulkhead(["kpis", "--json"]);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as KpiReport;
}

/** The demo cluster with the most workload namespaces (its matrix is the largest), and one without in-cluster data. */
async function pickClusters(request: APIRequestContext): Promise<{ largest: ClusterDetail; unread: ClusterDetail | null }> {
  const list = (await (await request.get("/api/clusters?pageSize=100")).json()) as { rows: { id: number }[] };
  const details = await Promise.all(list.rows.map(async (row) => (await (await request.get(`/api/clusters/${row.id}`)).json()) as ClusterDetail));
  const withReach = details.filter((detail) => detail.reachability !== null);
  const largest = withReach.sort((a, b) => b.reachability!.namespaces.length - a.reachability!.namespaces.length)[0];
  return { largest, unread: details.find((detail) => detail.reachability === null) ?? null };
}

test.describe("Lateral exposure on the Overview and Trends", () => {
  test("the Overview's fifth card shows what `bulkhead kpis --json` says, its change and its trend link", async ({ page }) => {
    await page.goto("/");
    const asOf = (await page.getByTestId("as-of").getAttribute("datetime"))!;
    const result = await runBulkhead(["kpis", "--as-of", asOf, "--json"]);
    const group = (JSON.parse(result.stdout) as KpiReport).groups[0];
    expect(group.clustersWithExposure).toBeGreaterThan(0);
    expect(group.lateralExposure).not.toBeNull();

    const card = page.getByTestId("kpi-card-lateralExposure");
    await expect(card.getByRole("heading", { name: "Lateral exposure" })).toBeVisible();
    await expect(page.getByTestId("kpi-value-lateralExposure")).toHaveText(formatPercent(group.lateralExposure));
    await expect(card).toContainText(`pod-weighted over ${group.clustersWithExposure} of ${group.clusters} clusters`);
    // Lower is better: the change says which way it went in words.
    await expect(card.locator("[data-direction]")).toBeVisible();
    await expect(card.getByRole("link", { name: /Trend of Lateral exposure/ })).toHaveAttribute("href", "/trends?kpi=exposure");

    // The risk ranking has its column, each figure the owner's pod-weighted exposure.
    const owners = page.getByRole("region", { name: "Where the risk sits" }).getByRole("table", { name: "By owner" });
    await expect(owners.getByRole("columnheader", { name: "Exposure" })).toBeVisible();
    const byOwner = JSON.parse((await runBulkhead(["kpis", "--as-of", asOf, "--json", "--by", "owner"])).stdout) as KpiReport;
    expect(byOwner.groups.every((owner) => typeof owner.clustersWithExposure === "number")).toBe(true);
  });

  test("Trends: today's figure equals `bulkhead kpis` now; split by owner; the CSV holds exactly the table", async ({ page }) => {
    await page.goto("/trends?kpi=exposure&range=30");
    const table = page.getByTestId("trend-table");
    await expect(table.locator("tbody tr")).toHaveCount(30);
    await expect(page.getByRole("heading", { name: /^Lateral exposure/ })).toBeVisible();
    await expect(page.getByText("Lateral exposure on a day is the mean of the clusters' exposure weighted by their pods")).toBeVisible();
    const now = (await kpisNow()).groups[0];
    await expect(table.locator("tbody tr").first().locator("td").first()).toHaveText(now.lateralExposure!.toFixed(1));

    await page.getByRole("group", { name: "Chart options" }).getByRole("radio", { name: "Owner" }).check();
    await expect(page).toHaveURL(/[?&]by=owner/);
    await expect(page.getByTestId("legend-item")).toHaveCount(7);
    const header = await table.locator("thead th").allInnerTexts();
    const firstRow = await table.locator("tbody tr").first().locator("th, td").allInnerTexts();

    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download CSV" }).click()]);
    expect(download.suggestedFilename()).toMatch(/^bulkhead_exposure_every-owner_30d_daily_\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = Papa.parse<string[]>(await readFile((await download.path())!, "utf8"), { skipEmptyLines: true }).data;
    expect(csv[0][0]).toMatch(/^Bulkhead trend: Lateral exposure \(%\); every owner \(\d+\); daily .*; definition: Share of pairs of workload pods/);
    const [csvHeader, csvToday] = csv.slice(1);
    expect(csvToday[0]).toBe(firstRow[0].trim());
    // The groups the table shows on their own (not "Other") have the same figures in the file.
    let compared = 0;
    for (const [index, title] of header.entries()) {
      const column = csvHeader.indexOf(title.trim());
      if (index === 0 || column < 0) continue;
      expect(csvToday[column], title).toBe(firstRow[index].trim() === "–" ? "" : firstRow[index].trim());
      compared += 1;
    }
    expect(compared).toBe(6);
    // Every owner's figure today is the CLI's for that owner.
    const byOwner = JSON.parse((await runBulkhead(["kpis", "--json", "--by", "owner"])).stdout) as KpiReport;
    for (const owner of byOwner.groups) {
      const column = csvHeader.indexOf(`${owner.key} (%)`);
      expect(column, owner.key).toBeGreaterThan(0);
      expect(csvToday[column], owner.key).toBe(owner.lateralExposure === null ? "" : owner.lateralExposure.toFixed(1));
    }
  });
});

test.describe("Who can reach whom on the cluster page", () => {
  test("the matrix renders every namespace pair, cells move by keyboard, and a cell explains itself", async ({ page }) => {
    const { largest } = await pickClusters(page.request);
    const view = largest.reachability!;
    const names = view.namespaces.map((namespace) => namespace.name);
    expect(names.length).toBeGreaterThanOrEqual(8);

    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto(`/clusters/${largest.cluster.id}`);
    const section = page.getByRole("region", { name: "Who can reach whom" });
    await expect(section).toBeVisible();
    await expect(page.getByTestId("cluster-lateral-exposure")).toHaveText(formatPercent(view.exposure));
    await expect(section.getByRole("region", { name: "Reachable from outside the cluster", exact: true })).toContainText(`${view.internetExposed.total} ${view.internetExposed.total === 1 ? "class" : "classes"}`);
    await expect(section.getByRole("region", { name: "Reach IMDS", exact: true })).toContainText(`${view.reachesImds.total} ${view.reachesImds.total === 1 ? "class" : "classes"}`);
    const cells = matrix(page).locator("tbody button");
    await expect(cells).toHaveCount(names.length * names.length);
    await expect(matrix(page).locator("thead th[scope=col]")).toHaveCount(names.length + 1);
    // Each cell says its figure in words as well as in colour.
    const [fromIndex, toIndex, pods] = view.pairs.find(([, to, count]) => count > 0 && view.namespaces[to].pods > 0)!;
    const share = Math.floor((pods / view.namespaces[toIndex].pods) * 100);
    const cell = matrix(page).getByRole("button", { name: new RegExp(`^${share} percent: from ${names[fromIndex]} to ${names[toIndex]}, ${pods} of ${view.namespaces[toIndex].pods} pods`) });
    await expect(cell).toHaveAttribute("data-share", String(share));
    expect(await cell.evaluate((button) => button.firstChild?.textContent)).toBe(String(share));

    // One cell in the tab order; the arrow keys move between cells.
    await expect(matrix(page).locator("tbody button[tabindex='0']")).toHaveCount(1);
    await cells.first().focus();
    await page.keyboard.press("ArrowRight");
    await page.keyboard.press("ArrowDown");
    const focused = page.locator("[data-testid=reachability-matrix] tbody button:focus");
    await expect(focused).toHaveAccessibleName(new RegExp(`from ${names[1]} to ${names[1]}[,:]`));
    await page.keyboard.press("End");
    await expect(focused).toHaveAccessibleName(new RegExp(`from ${names[1]} to ${names[names.length - 1]}[,:]`));

    // Choose the cell: the explanation loads from the API and says who admits it each way.
    await cell.focus();
    await page.keyboard.press("Enter");
    await expect(cell).toHaveAttribute("aria-pressed", "true");
    const panel = explanation(page);
    await expect(panel.getByRole("heading", { name: `${names[fromIndex]} → ${names[toIndex]}` })).toBeVisible();
    const api = (await (await page.request.get(`/api/clusters/${largest.cluster.id}/reachability?from=${names[fromIndex]}&to=${names[toIndex]}`)).json()) as ReachabilityExplanation;
    expect(api.connected).toBe(true);
    await expect(panel).toContainText(`${pods} of ${view.namespaces[toIndex].pods} pods of ${names[toIndex]} reachable`);
    await expect(panel.getByRole("region", { name: "Egress side" })).toContainText(`Leaving ${names[fromIndex]}`);
    await expect(panel.getByRole("region", { name: "Ingress side" })).toContainText(`Entering ${names[toIndex]}`);
    for (const admission of api.ingress) if (admission.rule) await expect(panel.getByRole("region", { name: "Ingress side" })).toContainText(admission.rule);
    const smallest = panel.getByRole("region", { name: "Smallest change that closes it" });
    if (api.smallestChange) {
      await expect(smallest).toContainText(api.smallestChange.closes ? "Closes it" : "Not enough alone");
      await expect(smallest).toContainText(api.smallestChange.text.slice(1, 40));
    } else {
      await expect(smallest).toContainText("No single change closes it");
    }
    await expectAccessible(page);
    await section.scrollIntoViewIfNeeded();
    await section.screenshot({ path: "test-results/screenshots/cluster-reachability-1440.png" });
    await saveScreenshot(page, "cluster-reachability-page-1440");
  });

  test("on a phone the matrix scrolls inside its region with the namespace names kept in view", async ({ page }) => {
    const { largest } = await pickClusters(page.request);
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`/clusters/${largest.cluster.id}#reachability`);
    const region = matrix(page);
    await expect(region).toBeVisible();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(await region.evaluate((element) => element.scrollWidth > element.clientWidth)).toBe(true);
    // Scrolled right, the row headers stay where they were (sticky).
    const rowHeader = region.locator("tbody th").first();
    const before = (await rowHeader.boundingBox())!.x;
    await region.evaluate((element) => element.scrollBy(400, 0));
    await expect.poll(async () => (await rowHeader.boundingBox())!.x).toBe(before);
    await region.locator("tbody button:not([data-share=none])").first().click();
    await expect(explanation(page).getByRole("region", { name: "Smallest change that closes it" })).toBeVisible();
    await expectAccessible(page);
    await page.getByRole("region", { name: "Who can reach whom" }).screenshot({ path: "test-results/screenshots/cluster-reachability-390.png" });
  });

  test("a cluster without in-cluster data says so; the explanation needs sign-in", async ({ page, playwright, baseURL }) => {
    const { largest, unread } = await pickClusters(page.request);
    if (unread) {
      await page.goto(`/clusters/${unread.cluster.id}`);
      await expect(page.getByRole("region", { name: "Who can reach whom" })).toContainText("No in-cluster data");
    }
    const anonymous = await playwright.request.newContext({ baseURL, storageState: { cookies: [], origins: [] } });
    const response = await anonymous.get(`/api/clusters/${largest.cluster.id}/reachability?from=a&to=b`);
    expect(response.status()).toBe(401);
    await anonymous.dispose();
    const bad = await page.request.get(`/api/clusters/${largest.cluster.id}/reachability?from=Not_A_Namespace&to=b`);
    expect(bad.status()).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(/^from: /);
  });
});
