import type { Locator, Page } from "@playwright/test";
import { CONTROLS } from "../lib/posture/control-catalogue";
import { expect, expectAccessible, saveScreenshot, test } from "./fixtures";
import { seedEstate } from "./support/store";

// The webServer fills its store with the deterministic demo estate (60 clusters, 200 days).

const table = (page: Page) => page.getByRole("region", { name: "Clusters table" });
const bodyRows = (page: Page) => table(page).locator("tbody tr");
const clusterNames = (page: Page) => table(page).locator("tbody tr td:first-child a").allInnerTexts();
const tile = (page: Page, label: string): Locator =>
  page.locator("dl > div").filter({ has: page.locator("dt", { hasText: new RegExp(`^${label}$`) }) }).locator("dd").first();

async function openClusters(page: Page, search = "") {
  await page.goto(`/clusters${search}`);
  await expect(bodyRows(page).first()).toBeVisible();
}

test.describe("Clusters page", () => {
  test("shows the live clusters with their figures, and passes an accessibility scan", async ({ page }) => {
    await openClusters(page);
    await expect(page.getByRole("heading", { level: 1, name: "Clusters" })).toBeVisible();
    await expect(tile(page, "Clusters")).toHaveText(/^\d+$/);
    await expect(page.getByText(/^1–25 of \d+ clusters$/)).toBeVisible();
    await expect(bodyRows(page)).toHaveCount(25);
    // Worst first by default.
    await expect(page.getByRole("columnheader", { name: /failing controls/i })).toHaveAttribute("aria-sort", "descending");
    await expectAccessible(page);
    await saveScreenshot(page, "clusters");
  });

  test("sorting by a column header changes the URL and the order of the rows", async ({ page }) => {
    await openClusters(page);
    await page.getByRole("button", { name: "Cluster", exact: true }).click();
    await expect(page).toHaveURL(/[?&]sort=name/);
    await expect(page).toHaveURL(/[?&]dir=asc/);
    await expect(page.getByRole("columnheader", { name: /^cluster/i })).toHaveAttribute("aria-sort", "ascending");
    const ascending = await clusterNames(page);
    expect(ascending).toEqual([...ascending].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())));

    await page.getByRole("button", { name: "Cluster", exact: true }).click();
    await expect(page).toHaveURL(/[?&]dir=desc/);
    await expect(table(page).locator("tbody tr td:first-child a").first()).not.toHaveText(ascending[0]);
    const descending = await clusterNames(page);
    expect(descending).toEqual([...descending].sort((a, b) => b.toLowerCase().localeCompare(a.toLowerCase())));
  });

  test("search changes the URL and keeps only matching clusters; no match offers a reset", async ({ page }) => {
    await openClusters(page);
    const before = await tile(page, "Clusters").innerText();
    await page.getByRole("searchbox", { name: "Search" }).fill("prod");
    await expect(page).toHaveURL(/[?&]q=prod/);
    await expect(tile(page, "Clusters")).not.toHaveText(before);
    for (const text of await bodyRows(page).allInnerTexts()) expect(text.toLowerCase()).toContain("prod");

    await page.getByRole("searchbox", { name: "Search" }).fill("no-such-cluster-anywhere");
    await expect(page.getByText("No clusters match")).toBeVisible();
    await page.getByRole("link", { name: "Reset all filters" }).click();
    await expect(page).toHaveURL(/\/clusters$/);
    await expect(page.getByRole("searchbox", { name: "Search" })).toHaveValue("");
    await expect(tile(page, "Clusters")).toHaveText(before);
  });

  test("filters change the URL and the figures: environment from the table, subscription from the shell", async ({ page }) => {
    await openClusters(page);
    const all = Number(await tile(page, "Clusters").innerText());
    await page.getByLabel("Environment").selectOption("true");
    await expect(page).toHaveURL(/[?&]production=true/);
    await expect(tile(page, "Clusters")).not.toHaveText(String(all));
    const production = Number(await tile(page, "Clusters").innerText());
    expect(production).toBeLessThan(all);
    await expect(tile(page, "Clusters").locator("xpath=following-sibling::dd")).toHaveText(`${production} in production`);
    for (const text of await bodyRows(page).allInnerTexts()) expect(text).toContain("Production");

    // The shell's subscription filter narrows the same table, kept in the URL with the table's own filters.
    const subscription = page.getByRole("group", { name: "Filters" }).getByLabel("Subscription");
    const option = await subscription.locator("option").nth(1).getAttribute("value");
    await subscription.selectOption(option!);
    await expect(page).toHaveURL(new RegExp(`[?&]subscription=${option}`));
    await expect(page).toHaveURL(/[?&]production=true/);
    await expect(tile(page, "Clusters")).not.toHaveText(String(production));

    await page.getByLabel("Failing control").selectOption("NP-01");
    await expect(page).toHaveURL(/[?&]failing=NP-01/);
    await expect(page.getByLabel("Failing control")).toHaveValue("NP-01");
  });

  test("a filter picked while a typed search is on its way keeps both", async ({ page }) => {
    await openClusters(page);
    // The server answers URL changes slowly, so the filter's change is still in flight when the
    // search (sent 300 ms after typing stops) is applied.
    await page.route(/\/clusters\?/, async (route) => {
      if (route.request().headers()["rsc"]) await new Promise((resolve) => setTimeout(resolve, 1_000));
      await route.continue();
    });
    await page.getByRole("searchbox", { name: "Search" }).fill("prod");
    await page.getByLabel("Environment").selectOption("true");
    await expect(page).toHaveURL(/[?&]q=prod/, { timeout: 10_000 });
    await expect(page).toHaveURL(/[?&]production=true/);
    await expect(page.getByLabel("Environment")).toHaveValue("true");
    await expect(page.getByRole("searchbox", { name: "Search" })).toHaveValue("prod");
  });

  test("the advisory filter lists the clusters an Overview advisory counts", async ({ page }) => {
    await page.goto("/");
    const card = page.getByTestId("advisory-kubenet-retirement");
    await expect(card.getByRole("link").first()).toBeVisible();
    const counted = Number(await card.locator("span.tabular-nums").first().innerText());
    expect(counted).toBeGreaterThan(0);
    const named = await card.getByRole("link").first().innerText();

    await openClusters(page);
    await page.getByLabel("Advisory").selectOption("kubenet-retirement");
    await expect(page).toHaveURL(/[?&]advisory=kubenet-retirement/);
    await expect(tile(page, "Clusters")).toHaveText(String(counted));
    // The cluster the Overview names first is among them.
    await page.getByLabel("Rows per page").selectOption("100");
    await expect(page).toHaveURL(/[?&]pageSize=100/);
    await expect(table(page).getByRole("link", { name: named, exact: true })).toBeVisible();
    await page.getByRole("button", { name: "Clear search and filters" }).click();
    await expect(page).not.toHaveURL(/advisory=/);
  });

  test("the header sort buttons work from the keyboard", async ({ page }) => {
    await openClusters(page);
    const clusterButton = page.getByRole("button", { name: "Cluster", exact: true });
    await clusterButton.focus();
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(/[?&]sort=name/);
    await expect(page.getByRole("columnheader", { name: /^cluster/i })).toHaveAttribute("aria-sort", "ascending");

    await page.keyboard.press("Tab");
    await expect(page.getByRole("button", { name: "Engine", exact: true })).toBeFocused();
    await page.keyboard.press("Space");
    await expect(page).toHaveURL(/[?&]sort=engine/);
    await expect(page.getByRole("columnheader", { name: /^engine/i })).toHaveAttribute("aria-sort", "ascending");
    await expect(page.getByRole("columnheader", { name: /^cluster/i })).toHaveAttribute("aria-sort", "none");

    await page.keyboard.press("Tab");
    await expect(page.getByRole("button", { name: "Failing controls", exact: true })).toBeFocused();
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(/[?&]sort=failed&?/);
    await expect(page.getByRole("columnheader", { name: /failing controls/i })).toHaveAttribute("aria-sort", "descending");
  });

  test("pages through the clusters with the page controls and a page size choice", async ({ page }) => {
    await openClusters(page);
    const first = await clusterNames(page);
    await page.getByRole("button", { name: "Next page" }).click();
    await expect(page).toHaveURL(/[?&]page=2/);
    await expect(page.getByText(/^26–50 of \d+ clusters$/)).toBeVisible();
    expect(await clusterNames(page)).not.toContain(first[0]);
    await page.getByLabel("Rows per page").selectOption("10");
    await expect(page).toHaveURL(/[?&]pageSize=10/);
    await expect(page).not.toHaveURL(/[?&]page=2/);
    await expect(bodyRows(page)).toHaveCount(10);
  });

  test("is usable at 768 px: the table scrolls inside its card, not the page", async ({ page }) => {
    await page.setViewportSize({ width: 768, height: 1024 });
    await openClusters(page);
    const overflow = await table(page).evaluate((element) => element.scrollWidth > element.clientWidth);
    expect(overflow).toBe(true);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(768);
    await saveScreenshot(page, "clusters-768");
  });

  test("a bad parameter in the URL says what is wrong and offers a way back", async ({ page }) => {
    await page.goto("/clusters?sort=bogus");
    await expect(page.getByRole("alert").filter({ hasText: "Could not load" })).toContainText("sort: must be one of");
    await page.getByRole("link", { name: "Reset all filters" }).click();
    await expect(page).toHaveURL(/\/clusters$/);
    await expect(bodyRows(page).first()).toBeVisible();
  });

  test("bad parameters are answered 400 naming the parameter", async ({ request }) => {
    const response = await request.get("/api/clusters?sort=bogus&pageSize=7");
    expect(response.status()).toBe(400);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("bad-request");
    expect(body.error.message).toContain("sort:");
    expect(body.error.message).toContain("pageSize:");
  });
});

test.describe("Cluster detail page", () => {
  test.use({ permissions: ["clipboard-read", "clipboard-write"] });

  test("opens from the table and shows controls, evidence, timeline and a fix ready to copy", async ({ page }) => {
    await openClusters(page, "?failing=NP-01");
    const link = table(page).locator("tbody tr td:first-child a").first();
    const name = await link.innerText();
    await link.click();
    await expect(page).toHaveURL(/\/clusters\/\d+$/);
    await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
    await expect(page).toHaveTitle(new RegExp(name));

    const controls = page.getByRole("region", { name: "Controls" });
    await expect(controls.getByRole("listitem")).toHaveCount(CONTROLS.length);
    await expect(controls.getByRole("listitem").first()).toContainText("NP-01");
    await expect(controls.getByRole("listitem").first()).toContainText("Fail");
    await expect(page.getByRole("img", { name: /Posture of the cluster over 90 days/ })).toBeVisible();

    const remediation = page.getByRole("region", { name: "Remediation" });
    await expect(remediation.getByText("az aks update").first()).toBeVisible();
    const copy = remediation.getByRole("button", { name: /^Copy Shell for NP-01/ });
    await copy.click();
    await expect(remediation.getByRole("button", { name: /^Copied: Shell for NP-01/ })).toHaveText("Copied");
    const clipboard = await page.evaluate(() => navigator.clipboard.readText());
    expect(clipboard).toContain("az aks update");
    expect(clipboard).toContain(`--name ${name}`);

    // The copy buttons are reachable and usable from the keyboard too.
    const terraform = remediation.getByRole("button", { name: /^Copy Terraform for NP-01/ });
    await terraform.focus();
    await page.keyboard.press("Enter");
    await expect(remediation.getByRole("button", { name: /^Copied: Terraform for NP-01/ })).toBeVisible();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toContain("network_policy");

    await expectAccessible(page);
    await saveScreenshot(page, "cluster-detail");
  });

  test("the timeline range can be changed", async ({ page }) => {
    await openClusters(page);
    await table(page).locator("tbody tr td:first-child a").first().click();
    await page.getByRole("button", { name: "365 d" }).click();
    await expect(page.getByRole("button", { name: "365 d" })).toHaveAttribute("aria-pressed", "true");
    await expect(page.getByRole("img", { name: /Posture of the cluster over 365 days/ })).toBeVisible();
  });

  test("a cluster without fresh in-cluster data says how old its data is", async ({ page }) => {
    // Read once, then its objects come back unreadable: the cluster is judged on the objects carried from the first run.
    const estate = await seedEstate([[{ name: "e2e-clusters-stale", kube: "segmented" }], [{ name: "e2e-clusters-stale", kube: "malformed" }]]);
    const [stale] = estate.clusters;
    expect(stale).toMatchObject({ name: "e2e-clusters-stale", inCluster: "carried" });
    await page.goto(`/clusters/${stale.id}`);
    await expect(page.getByRole("note").filter({ hasText: /In-cluster data from/ })).toBeVisible();
    await saveScreenshot(page, "cluster-detail-stale");
  });

  test("an unknown or non-numeric id is the not-found page with status 404", async ({ page }) => {
    for (const id of ["99999999", "abc", "12abc", "-1"]) {
      const response = await page.goto(`/clusters/${id}`);
      expect(response?.status(), id).toBe(404);
      await expect(page.getByRole("heading", { level: 1, name: "Cluster not found" })).toBeVisible();
      // Inside the app shell, so the way back is one click away.
      await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
    }
    const api = await page.request.get("/api/clusters/99999999");
    expect(api.status()).toBe(404);
  });
});
