import type { Page } from "@playwright/test";
import { expect, expectAccessible, saveScreenshot, storageStateFor, test } from "./fixtures";
import { readKpis, seedEstate, type SeededEstate } from "./support/store";

// The webServer fills its store with the deterministic demo estate (60 clusters, 200 days).
// Everything here is done by the security manager (finding:assign, finding:comment, finding:waive).
test.use({ storageState: storageStateFor("security") });

const DAY_MS = 86_400_000;
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const utcDay = (days: number) => new Date(Date.now() + days * DAY_MS).toISOString().slice(0, 10);
/** A day (YYYY-MM-DD) as the pages write it: "7 Sep 2026". */
const dayText = (day: string) => new Date(`${day}T00:00:00Z`).toLocaleDateString("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" }).replace("Sept", "Sep");

const table = (page: Page) => page.getByRole("region", { name: "Findings table" });
const bodyRows = (page: Page) => table(page).locator("tbody tr");
const statusTabs = (page: Page) => page.getByRole("navigation", { name: "Finding status" });
const trailEvents = (page: Page) => page.getByRole("list", { name: "Audit trail, oldest first" }).locator(":scope > li");

async function openFindings(page: Page, search = "") {
  await page.goto(`/findings${search}`);
  await expect(bodyRows(page).first()).toBeVisible();
}

/** Waits until every row shows `expected` in column `nth` (the old rows stay on screen until the new ones arrive). */
async function expectColumn(page: Page, selector: string, expected: RegExp) {
  await expect
    .poll(async () => {
      const texts = await bodyRows(page).locator(selector).allInnerTexts();
      return texts.length > 0 && texts.every((text) => expected.test(text));
    })
    .toBe(true);
}

async function tabCount(page: Page, label: string): Promise<number> {
  const text = await statusTabs(page).getByRole("link", { name: new RegExp(`^${label}`) }).innerText();
  return Number(text.replace(/[^0-9]/g, ""));
}

test.describe("Findings list", () => {
  test("status tabs with counts, and filters and sorting kept in the URL; passes an accessibility scan", async ({ page }) => {
    await openFindings(page);
    await expect(page.getByRole("heading", { level: 1, name: "Findings" })).toBeVisible();
    await expect(statusTabs(page).getByRole("link", { name: /^Active/ })).toHaveAttribute("aria-current", "page");
    const [open, overdue, waived] = [await tabCount(page, "Open"), await tabCount(page, "Overdue"), await tabCount(page, "Waived")];
    expect(await tabCount(page, "Active")).toBe(open + overdue + waived);
    expect(overdue).toBeGreaterThan(0);
    await expect(page.getByText(new RegExp(`^1–\\d+ of ${open + overdue + waived} findings$`))).toBeVisible();
    await expectAccessible(page);
    await saveScreenshot(page, "findings-list");

    await statusTabs(page).getByRole("link", { name: /^Overdue/ }).click();
    await expect(page).toHaveURL(/[?&]status=overdue/);
    await expect(page.getByText(new RegExp(`of ${overdue} findings$`))).toBeVisible();
    await expectColumn(page, "td:nth-child(5)", /^Overdue$/);

    await page.getByRole("button", { name: /^Control/ }).click();
    await page.getByRole("checkbox", { name: /^NP-01:/ }).check();
    await page.keyboard.press("Escape");
    await expect(page).toHaveURL(/[?&]control=NP-01/);
    await expect(page).toHaveURL(/[?&]status=overdue/);
    await expect(page.getByText(new RegExp(`of ${overdue} findings$`))).toBeHidden();
    await expectColumn(page, "td:nth-child(2) a", /^NP-01 /);

    await page.getByRole("button", { name: "Severity", exact: true }).click();
    await expect(page).toHaveURL(/[?&]sort=severity/);
    await expect(page.getByRole("columnheader", { name: /^severity/i })).toHaveAttribute("aria-sort", "descending");

    // A link with these parameters shows the same view.
    await page.reload();
    await expect(page.getByRole("button", { name: /^Control/ })).toContainText("NP-01: Network policy engine enabled");
    await expect(statusTabs(page).getByRole("link", { name: /^Overdue/ })).toHaveAttribute("aria-current", "page");

    await page.getByRole("button", { name: "Clear filters" }).click();
    await expect(page).not.toHaveURL(/control=/);
  });

  test("text search, the unassigned filter and the shell's owner filter narrow the list", async ({ page }) => {
    await openFindings(page);
    await page.getByRole("searchbox", { name: "Search" }).fill("prod");
    await expect(page).toHaveURL(/[?&]q=prod/);
    await expect(page.getByText(/^1–\d+ of \d+ findings$/)).toBeVisible();

    await page.getByLabel("Assignee").selectOption("(unassigned)");
    await expect(page).toHaveURL(/[?&]assignee=%28unassigned%29/);
    await expectColumn(page, "td:last-child", /^Unassigned$/);

    await page.getByRole("searchbox", { name: "Search" }).fill("");
    await expect(page).not.toHaveURL(/[?&]q=/);
    const owners = page.getByRole("group", { name: "Filters" }).getByLabel("Owner");
    const owner = (await owners.locator("option").nth(1).getAttribute("value"))!;
    await owners.selectOption(owner);
    await expect(page).toHaveURL(new RegExp(`[?&]owner=${escapeRegExp(encodeURIComponent(owner))}`));
    await expectColumn(page, "td:nth-child(8)", new RegExp(`^${escapeRegExp(owner)}$`));

    await page.getByRole("searchbox", { name: "Search" }).fill("no-such-cluster-anywhere");
    await expect(page.getByText("No findings match")).toBeVisible();
    await page.getByRole("button", { name: "Clear the filters" }).click();
    await expect(bodyRows(page).first()).toBeVisible();

    // A page number past the end (an old link) offers the way back.
    await page.goto("/findings?page=999");
    await expect(page.getByText("No findings on this page")).toBeVisible();
    await page.getByRole("button", { name: "Go to the first page" }).click();
    await expect(page).not.toHaveURL(/page=/);
    await expect(bodyRows(page).first()).toBeVisible();
  });

  test("bulk assign: select findings on the page, give a team and a due date, and see the result", async ({ page }) => {
    await openFindings(page, "?assignee=(unassigned)&pageSize=25");
    await expect(page.getByRole("form", { name: "Assign selected findings" })).toHaveCount(0);
    await page.getByRole("checkbox", { name: "Select every finding on this page" }).check();
    await expect(page.getByText("25 findings selected")).toBeVisible();
    // Untick all but three.
    const boxes = table(page).locator("tbody").getByRole("checkbox");
    for (let index = 3; index < 25; index += 1) await boxes.nth(index).uncheck();
    await expect(page.getByText("3 findings selected")).toBeVisible();
    await expect(page.getByRole("checkbox", { name: "Select every finding on this page" })).not.toBeChecked();

    const bar = page.getByRole("form", { name: "Assign selected findings" });
    await bar.getByLabel("Assign to (e-mail or team)").fill("team-e2e-bulk");
    await bar.getByLabel(/Due date/).fill(utcDay(14));
    // These findings are months past their SLA: a later due date needs a reason.
    await bar.getByLabel(/^Reason for a later due date/).fill("Agreed with the platform team: fixed in the next sprint");
    await bar.getByRole("button", { name: "Assign 3 findings" }).click();
    await expect(page.getByRole("status").filter({ hasText: /^Assigned 3 findings to team-e2e-bulk, due through \d+ \w+ \d{4} \(3 due dates moved later: Agreed with the platform team: fixed in the next sprint\)\./ })).toBeVisible();
    await expect(bar).toHaveCount(0);

    await page.goto("/findings?assignee=team-e2e-bulk");
    await expect(bodyRows(page)).toHaveCount(3);
    await expect(page.getByLabel("Assignee")).toHaveValue("team-e2e-bulk");
  });

  test("at 768 px the list still works: the table scrolls inside its card, the page does not", async ({ page }) => {
    await page.setViewportSize({ width: 768, height: 1000 });
    await openFindings(page);
    const pageWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(pageWidth).toBeLessThanOrEqual(768);
    const region = await table(page).evaluate((node) => ({ scroll: node.scrollWidth, client: node.clientWidth }));
    expect(region.scroll).toBeGreaterThan(region.client);
    await table(page).focus();
    await expect(table(page)).toBeFocused();
    await saveScreenshot(page, "findings-list-768");
  });
});

test.describe("Finding detail", () => {
  // Four clusters of the spec's own without a policy engine: one open NP-01 finding each, one per test that changes one.
  let estate: SeededEstate;
  const findingOfSeed = (index: number) => {
    const found = estate.findings.find((item) => item.clusterName === `e2e-findings-${index}` && item.controlId === "NP-01");
    if (!found) throw new Error(`the seeded estate has no NP-01 finding on e2e-findings-${index}`);
    return found;
  };
  test.beforeAll(async () => {
    estate = await seedEstate([[0, 1, 2, 3].map((index) => ({ name: `e2e-findings-${index}`, networkPolicy: null, production: index % 2 === 0, owner: "e2e-findings" }))]);
  });

  test("a security manager assigns and waives a finding; it leaves the KPIs; the trail records every step", async ({ page }) => {
    const finding = findingOfSeed(0);
    const before = await readKpis();
    await page.goto(`/findings/${finding.id}`);
    await expect(page.getByRole("heading", { level: 1 })).toContainText(finding.controlId);
    await expect(page.getByRole("link", { name: finding.clusterName }).first()).toHaveAttribute("href", /^\/clusters\/\d+/);
    await expect(trailEvents(page).first()).toBeVisible();
    const eventsBefore = await trailEvents(page).count();

    const assign = page.getByRole("form", { name: "Assign" });
    await assign.getByLabel("Assignee").fill("dana@example.com");
    const due = dayText(utcDay(10));
    await assign.getByLabel(/Due date/).fill(utcDay(10));
    await assign.getByRole("button", { name: "Save assignment" }).click();
    await expect(assign.getByRole("status")).toHaveText(`Assigned to dana@example.com, due through ${due}.`);
    // One trail entry per change (docs/findings.md): the assignee, then the due date as old → new.
    await expect(trailEvents(page)).toHaveCount(eventsBefore + 2);
    await expect(trailEvents(page).nth(eventsBefore)).toContainText("Assigned to dana@example.com");
    await expect(trailEvents(page).nth(eventsBefore)).toContainText("security@demo.bulkhead.local");
    await expect(trailEvents(page).last()).toContainText(new RegExp(`Due date changed: through \\d+ \\w+ \\d{4} → through ${due}`));
    await expect(trailEvents(page).last()).toContainText("security@demo.bulkhead.local");
    // Earlier than the SLA due date: agreed without a reason; the SLA due date is still shown.
    await expect(page.getByTestId("sla-story")).toHaveText(/^SLA due through \d+ \w+ \d{4}; agreed to \d+ \w+ \d{4} by security@demo\.bulkhead\.local\.$/);

    const waive = page.getByRole("form", { name: "Waive" });
    await waive.getByLabel("Reason").fill("Cluster is retired with the Q3 migration; no new workloads.");
    await waive.getByLabel("Waived through").fill(utcDay(30));
    await waive.getByRole("button", { name: "Waive finding" }).click();
    const inForce = page.getByRole("region", { name: "Waiver in force" });
    await expect(inForce).toContainText("Cluster is retired with the Q3 migration; no new workloads.");
    const through = dayText(utcDay(30));
    // One day convention: the waiver covers the day chosen.
    await expect(inForce).toContainText(`through ${through}`);
    await expect(inForce).toContainText("security@demo.bulkhead.local");
    await expect(page.getByRole("form", { name: "Waive" })).toHaveCount(0);
    await expect(trailEvents(page)).toHaveCount(eventsBefore + 3);
    await expect(trailEvents(page).last()).toContainText(`Waived through ${through}`);
    await expect(trailEvents(page).last()).toContainText("Cluster is retired with the Q3 migration");

    // Waived: the failing control leaves the audit pass rate.
    const waived = await readKpis();
    expect(waived.controlsFailed).toBe(before.controlsFailed - 1);
    expect(waived.auditPassRate!).toBeGreaterThan(before.auditPassRate!);

    await expectAccessible(page);
    await saveScreenshot(page, "finding-detail");

    // Revoking it puts it back.
    await inForce.getByRole("button", { name: "Revoke waiver" }).click();
    await inForce.getByRole("button", { name: "Yes, revoke it" }).click();
    await expect(page.getByRole("region", { name: "Waiver in force" })).toHaveCount(0);
    await expect(trailEvents(page).last()).toContainText("Waiver revoked");
    expect((await readKpis()).controlsFailed).toBe(before.controlsFailed);
  });

  test("bad input shows the server's message, keeps what was typed and changes nothing", async ({ page }) => {
    const finding = findingOfSeed(1);
    await page.goto(`/findings/${finding.id}`);
    await expect(trailEvents(page).first()).toBeVisible();
    const eventsBefore = await trailEvents(page).count();

    const waive = page.getByRole("form", { name: "Waive" });
    await waive.getByLabel("Reason").fill("Vendor appliance");
    await waive.getByLabel("Waived through").fill(utcDay(200));
    await waive.getByRole("button", { name: "Waive finding" }).click();
    // The message names the field by its label.
    await expect(waive.getByRole("alert")).toHaveText("Waived through: a waiver lasts at most 180 days");
    await expect(waive.getByLabel("Reason")).toHaveValue("Vendor appliance");
    await expect(waive.getByLabel("Waived through")).toHaveValue(utcDay(200));

    const comment = page.getByLabel("Add a comment");
    const tenKb = "x".repeat(10 * 1024);
    await comment.fill(tenKb);
    await expect(page.getByText("10,240 / 2,000 characters (8,240 too many)")).toBeVisible();
    await page.getByRole("button", { name: "Comment", exact: true }).click();
    await expect(page.getByRole("alert").filter({ hasText: "Comment: must be at most 2000 characters" })).toBeVisible();
    await expect(comment).toHaveValue(tenKb);

    await page.reload();
    await expect(trailEvents(page)).toHaveCount(eventsBefore);
    await expect(page.getByRole("region", { name: "Waiver in force" })).toHaveCount(0);
  });

  test("HTML in a comment is shown as text, never as markup", async ({ page }) => {
    const finding = findingOfSeed(2);
    await page.goto(`/findings/${finding.id}`);
    const html = '<b>bold?</b> <img src=x onerror="window.__injected = true"> ticket NET-42';
    // The form may hydrate after the page's first paint: typing before then is lost, so type until it counts.
    await expect(async () => {
      await page.getByLabel("Add a comment").fill(html);
      await expect(page.getByRole("button", { name: "Comment", exact: true })).toBeEnabled({ timeout: 1_000 });
    }).toPass({ timeout: 20_000 });
    await page.getByRole("button", { name: "Comment", exact: true }).click();
    await expect(page.getByText("Comment added to the audit trail.")).toBeVisible();
    const comment = trailEvents(page).last();
    await expect(comment.locator("blockquote")).toHaveText(html);
    await expect(page.getByText("<b>bold?</b>", { exact: false })).toBeVisible();
    await expect(comment.locator("b")).toHaveCount(0);
    await expect(comment.locator("img")).toHaveCount(0);
    expect(await page.evaluate(() => (window as { __injected?: boolean }).__injected)).toBeUndefined();
    // Still text after a fresh load from the server.
    await page.reload();
    await expect(trailEvents(page).last().locator("blockquote")).toHaveText(html);
    await expect(trailEvents(page).last().locator("b")).toHaveCount(0);
  });

  test("an unknown or malformed finding id shows the not-found page", async ({ page }) => {
    for (const id of ["999999", "abc", "12abc", "99999999999"]) {
      const response = await page.goto(`/findings/${id}`);
      expect(response?.status(), id).toBe(404);
      await expect(page.getByRole("heading", { name: "Finding not found" })).toBeVisible();
    }
  });

  test("keyboard: from the list to a finding and through its forms, with a visible focus ring", async ({ page }) => {
    await openFindings(page);
    const firstLink = table(page).locator("tbody tr").first().locator("td:nth-child(2) a");
    await firstLink.focus();
    const outline = await firstLink.evaluate((node) => getComputedStyle(node).outlineStyle);
    expect(outline).not.toBe("none");
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(/\/findings\/\d+/);
    await page.getByLabel("Assignee").focus();
    await page.keyboard.press("Tab");
    await expect(page.getByLabel(/Due date/)).toBeFocused();
  });

  test("at 768 px the detail page stacks its columns", async ({ page }) => {
    const finding = findingOfSeed(3);
    await page.setViewportSize({ width: 768, height: 1000 });
    await page.goto(`/findings/${finding.id}`);
    await expect(page.getByRole("heading", { name: "Audit trail" })).toBeVisible();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(768);
    await saveScreenshot(page, "finding-detail-768");
  });
});
