import { extractText, getDocumentProxy } from "unpdf";
import { expect, expectAccessible, saveScreenshot, storageStateFor, test } from "./fixtures";

// The executive's board report on the demo estate (60 clusters, 200 days), on screen and as the PDF
// Chromium prints from it.
test.use({ storageState: storageStateFor("viewer") });

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

  test("the PDF is two A4 pages at most, with the headline, page numbers and the scope", async ({ page }) => {
    await page.goto("/report");
    const headline = (await page.getByTestId("report-headline").innerText()).trim();
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
