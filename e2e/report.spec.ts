import type { Page } from "@playwright/test";
import { extractText, getDocumentProxy } from "unpdf";
import { spendPeriodText } from "../components/kpi/kpi-meta";
import { formatMoney, formatPercent } from "../lib/format";
import type { KpiReport } from "../lib/kpi/get-kpis";
import { expect, expectAccessible, runBulkhead, saveScreenshot, storageStateFor, test } from "./fixtures";

// The executive's board report on the demo estate (60 clusters, 200 days), on screen and as the PDF
// Chromium prints from it.
test.use({ storageState: storageStateFor("viewer") });

const figure = (page: Page, id: string) => page.getByTestId(`report-kpi-${id}`);
const figureValue = (page: Page, id: string) => page.getByTestId(`report-kpi-value-${id}`);
const riskOwnerRows = (page: Page) => page.locator("section[aria-labelledby=risk-owners-title] tbody tr");

/** The report's time: what `bulkhead kpis --as-of` is asked for. */
async function reportAsOf(page: Page): Promise<string> {
  const asOf = await page.getByTestId("board-report").locator("dl time").first().getAttribute("datetime");
  expect(asOf).toBeTruthy();
  return asOf!;
}

async function cliKpis(asOf: string, extra: string[] = []): Promise<KpiReport> {
  const result = await runBulkhead(["kpis", "--as-of", asOf, "--json", ...extra]);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as KpiReport;
}

test.describe("Board report", () => {
  test("title, scope, time, author, a computed headline, the KPIs and who owns the risk; no links on it", async ({ page }) => {
    await page.goto("/report");
    const report = page.getByTestId("board-report");
    await expect(report.getByRole("heading", { level: 1, name: "Board report" })).toBeVisible();
    await expect(page.getByTestId("report-scope")).toHaveText("All subscriptions and owners");
    await expect(report).toContainText(/As of\d{1,2} \w{3} \d{4}, \d{2}:\d{2} UTC/);
    await expect(report).toContainText("by Vera Viewer (executive) (viewer@demo.bulkhead.local)");
    const headline = page.getByTestId("report-headline");
    await expect(headline).toHaveText(/^(Segmentation is (improving|getting worse|holding steady)|Progress is mixed)/);
    await expect(headline).toHaveText(/since \d{1,2} \w{3} \d{4}; [\d,]+ open findings? (is|are) past their SLA \(\d+ critical or high\)\.$/);
    // The chart draws every percentage KPI marked for it: the pass rate and lateral exposure.
    await expect(report.getByRole("img", { name: /^Audit pass rate and Lateral exposure, / })).toBeVisible();
    await expect(report).toContainText("Lateral exposure (%, lower is better)");
    await expect(report.getByRole("heading", { name: "Top risk owners" })).toBeVisible();
    await expect(report.getByRole("heading", { name: "Critical and high findings past their SLA, by owner" })).toBeVisible();
    await expect(report.locator("a")).toHaveCount(0);
    await expectAccessible(page);
    await saveScreenshot(page, "report");
  });

  test("spend at risk and the audit pass rate by spend as `bulkhead kpis --json` states them, in EUR over their period; each risk owner's spend at risk", async ({ page }) => {
    await page.goto("/report");
    const asOf = await reportAsOf(page);
    const group = (await cliKpis(asOf)).groups[0];
    expect(group.spendCurrency).toBe("EUR");
    expect(group.spendTotal).toBeGreaterThan(0);
    const period = spendPeriodText(group);
    expect(period).toMatch(/^\d{1,2} \w{3}( \d{4})? – \d{1,2} \w{3} \d{4} \(UTC\)$/);
    await expect(figureValue(page, "spendAtRisk")).toHaveText(formatMoney(group.spendAtRisk, "EUR"));
    await expect(figure(page, "spendAtRisk")).toContainText(`${formatPercent(group.spendAtRiskShare)} of ${formatMoney(group.spendTotal, "EUR")} AKS spend · ${period}`);
    await expect(figureValue(page, "spendWeightedPassRate")).toHaveText(formatPercent(group.spendWeightedPassRate));
    await expect(figure(page, "spendWeightedPassRate")).toContainText(`Weighted by EUR spend · ${period} · unweighted ${formatPercent(group.auditPassRate)}`);
    // Both compare with a month earlier, when the demo already had cost data.
    await expect(figure(page, "spendAtRisk")).toContainText(/(better than|worse than|unchanged from) EUR [\d,]+ a month earlier/);
    await expect(figure(page, "spendWeightedPassRate")).toContainText(/(better than|worse than|unchanged from) \d+\.\d% a month earlier/);

    // Showback: each risk owner's spend at risk, as the CLI states it per owner.
    await expect(page.locator("section[aria-labelledby=risk-owners-title]")).toContainText(`spend at risk is the AKS spend of all the owner's clusters while they failed NP-01, NP-02 or NP-03, ${period}, in the billing currency`);
    await expect(page.locator("section[aria-labelledby=risk-owners-title] thead th").last()).toHaveText("Spend at risk");
    const byOwner = (await cliKpis(asOf, ["--by", "owner"])).groups;
    const rows = await riskOwnerRows(page).all();
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      const name = (await row.locator("th").innerText()).trim();
      const owner = byOwner.find((g) => g.key === name);
      expect(owner, name).toBeDefined();
      await expect(row.locator("td").last()).toHaveText(owner!.spendAtRisk === null ? "no cost data" : formatMoney(owner!.spendAtRisk, "EUR"));
    }
  });

  test("a subscription without cost access: its report states the spend figures as missing, never as zero", async ({ page }) => {
    await page.goto("/report");
    const asOf = await reportAsOf(page);
    const missing = (await cliKpis(asOf, ["--by", "subscription"])).groups.find((g) => g.spendTotal === null && g.clusters > 0);
    expect(missing, "the demo has one subscription without Cost Management access").toBeDefined();
    await page.goto(`/report?subscription=${missing!.key}&asOf=${encodeURIComponent(asOf)}`);
    await expect(figureValue(page, "spendAtRisk")).toHaveText("No cost data");
    await expect(figure(page, "spendAtRisk")).toContainText(`Cost data missing for ${spendPeriodText(missing!)}: not counted as zero`);
    await expect(figureValue(page, "spendWeightedPassRate")).toHaveText("No cost data");
    await expect(figure(page, "spendWeightedPassRate")).toContainText(`No cost data to weigh by · ${spendPeriodText(missing!)}`);
    for (const row of await riskOwnerRows(page).all()) await expect(row.locator("td").last()).toHaveText("no cost data");
    await expect(page.getByTestId("board-report")).not.toContainText("EUR");
  });

  test("the PDF is two A4 pages at most, with the headline, page numbers and the scope", async ({ page }) => {
    await page.goto("/report");
    const headline = (await page.getByTestId("report-headline").innerText()).trim();
    const spendAtRisk = (await figureValue(page, "spendAtRisk").innerText()).trim();
    const passRateBySpend = (await figureValue(page, "spendWeightedPassRate").innerText()).trim();
    await page.emulateMedia({ media: "print" });
    await expect(page.getByRole("navigation", { name: "Main" })).toBeHidden();
    await expect(page.getByRole("button", { name: "Print or save as PDF" })).toBeHidden();
    const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
    const document = await getDocumentProxy(new Uint8Array(pdf));
    console.log(`board report PDF: ${document.numPages} page(s), ${pdf.length} bytes`);
    expect(document.numPages).toBeGreaterThanOrEqual(1);
    expect(document.numPages).toBeLessThanOrEqual(2);
    const { text } = await extractText(document, { mergePages: true });
    const flat = text.replace(/\s+/g, " ");
    expect(flat).toContain("Board report");
    expect(flat).toContain(headline.replace(/\s+/g, " "));
    expect(flat).toContain("All subscriptions and owners");
    expect(flat).toContain(`Page 1 of ${document.numPages}`);
    expect(flat).toContain("Top risk owners");
    // The spend figures are on paper with their currency and period.
    expect(spendAtRisk).toMatch(/^EUR [\d,]+$/);
    expect(flat).toContain(`Spend at risk ${spendAtRisk}`);
    expect(passRateBySpend).toMatch(/^\d+\.\d%$/);
    expect(flat).toContain(`Audit pass rate by spend ${passRateBySpend}`);
    expect(flat).toContain("Weighted by EUR spend");
    expect(flat).toMatch(/AKS spend · \d{1,2} \w{3}( \d{4})? – \d{1,2} \w{3} \d{4} \(UTC\)/);
    // Names are printed whole: the owners of the risk table appear in full.
    for (const owner of await page.locator("section[aria-labelledby=risk-owners-title] tbody th").allInnerTexts()) expect(flat).toContain(owner.trim());
  });

  test("the same filters as the Overview: a subscription's report names it first, its id second", async ({ page, request }) => {
    const filters = (await (await request.get("/api/filters")).json()) as { subscriptions: { id: string; displayName: string | null }[] };
    const subscription = filters.subscriptions.find((item) => item.displayName)!;
    await page.goto(`/report?subscription=${subscription.id}`);
    await expect(page.getByTestId("report-scope")).toHaveText(`subscription ${subscription.displayName} (${subscription.id})`);
    await expect(page.getByTestId("report-headline")).toBeVisible();
  });
});
