import type { Page } from "@playwright/test";
import { expect, expectAccessible, saveScreenshot, storageStateFor, test } from "./fixtures";
import { runStoreScript, seedEstate, type SeededEstate } from "./support/store";

// Rules v2 on the pages: a spec's own Cilium, Calico and Azure NPM clusters (imported through
// `bulkhead import` with every policy kind's file), their policy objects on the cluster page, the
// Clusters page's engine and object-kind filters, and the admin's re-evaluation after an upgrade.

let estate: SeededEstate;
test.beforeAll(async () => {
  estate = await seedEstate([
    [
      { name: "e2e-cilium", networkPolicy: "cilium", kube: "cilium", production: true },
      { name: "e2e-calico", networkPolicy: "calico", kube: "calico" },
      { name: "e2e-npm", networkPolicy: "azure", kube: "segmented" },
    ],
  ]);
});

const idOf = (name: string) => estate.clusters.find((cluster) => cluster.name === name)!.id;
const policyTable = (page: Page) => page.getByRole("region", { name: "Policy objects table" });
const rowOf = (page: Page, object: string) => policyTable(page).getByRole("row").filter({ has: page.getByRole("rowheader", { name: object, exact: true }) });

test.describe("Cluster page under rules v2", () => {
  test.use({ viewport: { width: 1440, height: 900 } });

  test("lists each policy object with its kind, scope, enforcement and contribution; problems with object and field; the rules version", async ({ page }) => {
    await page.goto(`/clusters/${idOf("e2e-cilium")}`);
    await expect(page.getByRole("heading", { level: 1, name: "e2e-cilium" })).toBeVisible();
    await expect(page.getByText(/rules version 2/).first()).toBeVisible();

    const section = page.getByRole("region", { name: /^Policy objects \(/ });
    await expect(section.getByRole("heading", { name: "Policy objects (4)" })).toBeVisible();
    await expect(section).toContainText("4 of 4 enforced by this cluster's engine");
    const baseline = rowOf(page, "workload-baseline");
    await expect(baseline).toContainText("CiliumClusterwideNetworkPolicy");
    await expect(baseline).toContainText("Cluster-wide");
    await expect(baseline).toContainText("Enforced");
    await expect(baseline).toContainText("isolates ingress and egress · 2 allows · 1 deny in shop, web");
    await expect(rowOf(page, "shop/api-from-web")).toContainText("isolates ingress · 1 allow in shop");
    await expect(rowOf(page, "shop/partners-egress").getByRole("link", { name: "1" })).toHaveAttribute("href", "#policy-problems");

    const problems = page.getByRole("region", { name: /^Problems in policy objects/ });
    await expect(problems).toContainText("shop/partners-egress");
    await expect(problems).toContainText("egress[0].toCIDR[0]");
    await expect(problems).toContainText("is not a CIDR or an address");

    // The allow-any rule names its kind and scope.
    const allowAny = page.getByRole("region", { name: /^Allow-any rules/ });
    await expect(allowAny).toContainText("web/web-from-world");
    await expect(allowAny).toContainText("CiliumNetworkPolicy");
    await expect(allowAny).toContainText("spec.ingress[0]");

    // Rules v2's wording: DNS and IMDS are reachable or not.
    const namespaces = page.getByRole("region", { name: "Namespaces table" });
    await expect(namespaces.getByRole("row").filter({ hasText: "shop" })).toContainText("Reachable");
    await expect(namespaces.getByRole("row").filter({ hasText: "shop" })).toContainText("Not reachable");

    await expectAccessible(page);
    await section.scrollIntoViewIfNeeded();
    await saveScreenshot(page, "cluster-detail-rules-v2-cilium");
  });

  test("says why an object is not enforced, and filters the objects by kind", async ({ page }) => {
    await page.goto(`/clusters/${idOf("e2e-calico")}`);
    const section = page.getByRole("region", { name: /^Policy objects \(/ });
    await expect(section).toContainText("2 of 3 enforced");
    const admin = rowOf(page, "pci-guardrail");
    await expect(admin).toContainText("Not enforced");
    await expect(admin).toContainText("No engine AKS offers enforces admin network policies today.");
    await expect(rowOf(page, "default-deny")).toContainText("GlobalNetworkPolicy (Calico)");

    await section.getByLabel("Kind").selectOption("CalicoNetworkPolicy");
    await expect(policyTable(page).locator("tbody tr")).toHaveCount(1);
    await expect(rowOf(page, "ledger/ledger-api")).toBeVisible();
    await saveScreenshot(page, "cluster-detail-rules-v2-calico");
  });
});

test.describe("Clusters page: engine and object kind", () => {
  test.use({ viewport: { width: 1440, height: 900 } });
  const names = (page: Page) => page.getByRole("region", { name: "Clusters table" }).locator("tbody tr td:first-child a").allInnerTexts();

  test("filters by engine and by the kinds of policy object, kept in the URL", async ({ page }) => {
    await page.goto(`/clusters?subscription=${estate.subscriptionId}`);
    await expect.poll(() => names(page)).toHaveLength(3);

    await page.getByLabel("Policy engine").selectOption("calico");
    await expect(page).toHaveURL(/[?&]engine=calico/);
    await expect.poll(() => names(page)).toEqual(["e2e-calico"]);

    await page.getByLabel("Policy engine").selectOption("");
    await page.getByLabel("Policy objects").selectOption("CiliumClusterwideNetworkPolicy");
    await expect(page).toHaveURL(/[?&]kind=CiliumClusterwideNetworkPolicy/);
    await expect.poll(() => names(page)).toEqual(["e2e-cilium"]);
    await saveScreenshot(page, "clusters-filter-kind");

    // The URL alone restores it.
    await page.goto(`/clusters?subscription=${estate.subscriptionId}&kind=NetworkPolicy`);
    await expect(page.getByLabel("Policy objects")).toHaveValue("NetworkPolicy");
    await expect.poll(() => names(page)).toEqual(["e2e-npm"]);
  });

  test("a wrong engine or kind is a 400 naming the parameter, and the page says so", async ({ page, request }) => {
    const response = await request.get("/api/clusters?kind=CiliumPolicy&engine=antrea");
    expect(response.status()).toBe(400);
    const body = (await response.json()) as { error: { message: string } };
    expect(body.error.message).toContain("kind: must be one of");
    expect(body.error.message).toContain("engine: must be one of");
    await page.goto("/clusters?kind=CiliumPolicy");
    await expect(page.getByRole("alert").filter({ hasText: "Could not load" })).toContainText("kind: must be one of");
  });
});

test.describe("After an upgrade of the rules", () => {
  test.use({ viewport: { width: 1440, height: 900 } });

  test("everyone sees the notice; admins re-evaluate history from it, and the store is judged with the current rules again", async ({ page, browser }) => {
    test.setTimeout(180_000);
    await runStoreScript(["judge-as-older-rules"]);

    const viewer = await browser.newContext({ storageState: storageStateFor("viewer"), viewport: { width: 1440, height: 900 } });
    const viewerPage = await viewer.newPage();
    await viewerPage.goto("/");
    const viewerBanner = viewerPage.getByRole("region", { name: "Rules version" });
    await expect(viewerBanner).toContainText("An admin can re-evaluate it.");
    await expect(viewerBanner.getByRole("button")).toHaveCount(0);
    await viewer.close();

    await page.goto("/");
    const banner = page.getByRole("region", { name: "Rules version" });
    await expect(banner).toContainText("Stored history was judged with rules version 1; this version judges with rules version 2.");
    await expect(banner).toContainText("bulkhead reevaluate");
    await expectAccessible(page);
    await saveScreenshot(page, "rules-banner");

    await banner.getByRole("button", { name: "Re-evaluate history" }).click();
    // Progress while it runs, then the banner goes: nothing is left to re-evaluate.
    await expect(banner).toBeHidden({ timeout: 150_000 });
    await page.reload();
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await expect(page.getByRole("region", { name: "Rules version" })).toHaveCount(0);
    await page.goto(`/clusters/${idOf("e2e-cilium")}`);
    await expect(page.getByText(/rules version 2/).first()).toBeVisible();
    await expect(rowOf(page, "workload-baseline")).toBeVisible();
  });
});
